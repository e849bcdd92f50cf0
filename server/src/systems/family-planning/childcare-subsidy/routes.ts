import { Type } from '@sinclair/typebox';
import { notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { describeRule } from '../../../platform/rules/index.ts';
import { enumOf, Id, pageOf, Paging } from '../../../platform/http/schema.ts';
import { DistrictCode } from '../../common/master-data/schema.ts';
import { eligibilityRule, REASON_TITLE, REASONS, subsidyCatalog } from './eligibility.ts';
import * as repo from './repository.ts';
import { actorOf } from './screen.ts';
import { CandidatePage, FieldRequirements, LatestScreening, ScreeningRunPage, SubsidyPolicy } from './responses.ts';

const tags = ['计划生育'];

export const getPolicyRoute = defineRoute({
  method: 'GET',
  url: '/childcare-subsidy/policy',
  summary: '育儿补贴政策参数与筛选规则',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.read',
  response: { 200: SubsidyPolicy },
  handler: async (ctx) => {
    const p = await repo.getPolicy(ctx.tx);
    return { ...p, ruleText: describeRule(subsidyCatalog, eligibilityRule(p)), reasons: REASON_TITLE };
  },
});

export const PolicyBody = Type.Object(
  {
    startDate: Type.String({ format: 'date', maxLength: 10, description: '政策起始日期（此日及以后出生）' }),
    maxAgeYears: Type.Integer({ minimum: 1, maximum: 6, description: '年龄上限（周岁，不含）' }),
  },
  { additionalProperties: false },
);

export const updatePolicyRoute = defineRoute({
  method: 'PUT',
  url: '/childcare-subsidy/policy',
  summary: '修改育儿补贴政策参数',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.policy.manage',
  scope: 'city',
  body: PolicyBody,
  response: { 200: SubsidyPolicy },
  handler: async (ctx, { body }) => {
    const before = await repo.getPolicy(ctx.tx);
    await repo.updatePolicy(ctx.tx, body, actorOf(ctx.principal));
    const after = await repo.getPolicy(ctx.tx);
    ctx.audit.write({ action: 'childcare-subsidy.policy.update', objectType: 'cs_policy', objectId: 1, before, after });
    return { ...after, ruleText: describeRule(subsidyCatalog, eligibilityRule(after)), reasons: REASON_TITLE };
  },
});

const runView = async (ctx: { tx: Parameters<typeof repo.runCounts>[0] }, r: repo.RunRow) => ({
  id: Number(r.id),
  mode: r.mode,
  status: r.status,
  asOf: r.as_of,
  baseRunId: r.base_run_id === null ? null : Number(r.base_run_id),
  judged: r.judged,
  carried: r.carried,
  ruleText: r.rule_text,
  requestedBy: r.requested_by,
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  counts: r.status === 'succeeded' ? await repo.runCounts(ctx.tx, Number(r.id)) : null,
});

export const listRunsRoute = defineRoute({
  method: 'GET',
  url: '/childcare-subsidy/screenings',
  summary: '筛选批次（每批为一个结果版本，计数为本人数据权限内）',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.read',
  querystring: Type.Object({ ...Paging }, { additionalProperties: false }),
  response: { 200: ScreeningRunPage },
  handler: async (ctx, { query }) => {
    const { rows, total } = await repo.listRuns(ctx.tx, pageOf(query));
    return { items: await Promise.all(rows.map((r) => runView(ctx, r))), total };
  },
});

export const latestRunRoute = defineRoute({
  method: 'GET',
  url: '/childcare-subsidy/screenings/latest',
  summary: '最新筛选结果版本与统计',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.read',
  response: { 200: LatestScreening },
  handler: async (ctx) => {
    const r = await repo.lastSucceeded(ctx.tx);
    return { run: r ? await runView(ctx, r) : null, reasons: REASON_TITLE };
  },
});

export const CandidatesQuery = Type.Object(
  {
    eligible: Type.Optional(Type.Boolean()),
    reason: Type.Optional(enumOf(REASONS)),
    prefill: Type.Optional(enumOf(['complete', 'incomplete'] as const)),
    district: Type.Optional(DistrictCode),
    ...Paging,
  },
  { additionalProperties: false },
);

export const candidatesRoute = defineRoute({
  method: 'GET',
  url: '/childcare-subsidy/screenings/:id/candidates',
  summary: '筛选结果名单（脱敏；含排除原因与预填情况）',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.read',
  params: Type.Object({ id: Id }, { additionalProperties: false }),
  querystring: CandidatesQuery,
  response: { 200: CandidatePage },
  handler: async (ctx, { params, query }) => {
    const run = await repo.findRun(ctx.tx, params.id);
    if (!run) throw notFound('筛选批次不存在');
    const { rows, total } = await repo.listCandidates(ctx.tx, params.id, query, pageOf(query));
    ctx.audit.read({
      action: 'childcare-subsidy.candidates.list',
      objectType: 'cs_screening_run',
      objectId: params.id,
      note: `名单 ${rows.length}/${total} 人`,
    });
    return {
      items: rows.map((c) => ({
        childPersonId: c.child_person_id,
        districtCode: c.district_code,
        nameMasked: c.name_mask,
        idNumberMasked: c.id_mask,
        birthDate: c.birth_date,
        eligible: c.eligible,
        reasons: c.reasons,
        problems: c.problems,
        birthOrder: c.birth_order,
        judged: c.judged,
        prefillComplete: c.prefill_complete,
        prefillMissing: c.prefill_missing ?? [],
      })),
      total,
    };
  },
});

export const requirementsRoute = defineRoute({
  method: 'GET',
  url: '/childcare-subsidy/field-requirements',
  summary: '申领信息字段要求（国家系统，当前为默认配置）',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.read',
  response: { 200: FieldRequirements },
  handler: async (ctx) => ({ items: await repo.fieldRequirements(ctx.tx) }),
});
