import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { assertCron, nextRun } from '../../../platform/jobs/cron.ts';
import { conflict, notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, Id, IdParams } from '../../../platform/http/schema.ts';
import * as repo from './rule-set-repository.ts';
import { RUN_MODES, requestRun } from './run.ts';
import { actorOf } from './shapes.ts';
import { RuleSet, RuleSetList, RunRequested } from './responses.ts';

/**
 * Rule sets (规则集调度): a named group of rules that runs on a cron schedule (Asia/Shanghai) and/or on demand,
 * with a full or incremental (rows changed since that rule's last successful run) strategy. Online (上线) sets
 * are started by the every-minute tick job when due and may be run by hand; offline (下线) sets do neither.
 */
const RuleIds = Type.Array(Id, { minItems: 1, maxItems: 200 });
const Cron = Type.Union([Type.String({ minLength: 9, maxLength: 100 }), Type.Null()]);

export const RuleSetBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    ruleIds: RuleIds,
    cron: Type.Optional(Cron),
    strategy: Type.Optional(enumOf(RUN_MODES)),
    online: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const RuleSetPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    ruleIds: Type.Optional(RuleIds),
    cron: Type.Optional(Cron),
    strategy: Type.Optional(enumOf(RUN_MODES)),
    online: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

interface Settings {
  name: string;
  description: string | null;
  ruleIds: number[];
  cron: string | null;
  strategy: 'full' | 'incremental';
  online: boolean;
}

/** Checks names, rules and cron; the next start is set when the set is online and scheduled. */
async function validated(ctx: ServiceContext, s: Settings, exceptId: number | null, now: Date) {
  const name = s.name.trim();
  if (!name) throw unprocessable('规则集名称不能为空', [{ field: 'name', message: '请填写规则集名称' }]);
  if (await repo.ruleSetNameTaken(ctx.tx, name, exceptId)) throw conflict('已有同名规则集', [{ field: 'name', message: '名称已被使用' }]);
  const ruleIds = [...new Set(s.ruleIds)];
  const known = new Set(await repo.existingRuleIds(ctx.tx, ruleIds));
  const missing = ruleIds.filter((id) => !known.has(id));
  if (missing.length) throw unprocessable(`规则不存在：${missing.join('、')}`, [{ field: 'ruleIds', message: `规则 ${missing.join('、')} 不存在` }]);
  const cron = s.cron === null || s.cron.trim() === '' ? null : assertCron(s.cron);
  const nextRunAt = s.online && cron ? nextRun(cron, now) : null;
  return { name, description: s.description?.trim() || null, ruleIds, cron, strategy: s.strategy, online: s.online, nextRunAt, actor: actorOf(ctx.principal) };
}

export async function createRuleSet(ctx: ServiceContext, b: typeof RuleSetBody.static, now = new Date()) {
  const v = await validated(
    ctx,
    {
      name: b.name,
      description: b.description ?? null,
      ruleIds: b.ruleIds,
      cron: b.cron ?? null,
      strategy: b.strategy ?? 'incremental',
      online: b.online ?? false,
    },
    null,
    now,
  );
  const id = await repo.insertRuleSet(ctx.tx, v);
  ctx.audit.write({
    action: 'compliance.rule-set.create',
    objectType: 'cm_rule_set',
    objectId: id,
    after: { ...v, nextRunAt: v.nextRunAt?.toISOString() ?? null },
  });
  return getRuleSet(ctx, id);
}

export async function updateRuleSet(ctx: ServiceContext, id: number, p: typeof RuleSetPatch.static, now = new Date()) {
  const cur = await repo.findRuleSet(ctx.tx, id, true);
  if (!cur) throw notFound('规则集不存在');
  const v = await validated(
    ctx,
    {
      name: p.name ?? cur.name,
      description: p.description ?? cur.description,
      ruleIds: p.ruleIds ?? cur.rule_ids,
      cron: p.cron === undefined ? cur.cron : p.cron,
      strategy: p.strategy ?? cur.strategy,
      online: p.online ?? cur.online,
    },
    id,
    now,
  );
  // An unchanged online schedule keeps its pending start; a changed one starts counting again.
  if (cur.online && v.online && cur.cron === v.cron && cur.next_run_at) v.nextRunAt = cur.next_run_at;
  await repo.updateRuleSet(ctx.tx, id, v);
  ctx.audit.write({
    action: 'compliance.rule-set.update',
    objectType: 'cm_rule_set',
    objectId: id,
    before: { name: cur.name, ruleIds: cur.rule_ids, cron: cur.cron, strategy: cur.strategy, online: cur.online },
    after: { name: v.name, ruleIds: v.ruleIds, cron: v.cron, strategy: v.strategy, online: v.online },
  });
  return getRuleSet(ctx, id);
}

export async function getRuleSet(ctx: ServiceContext, id: number) {
  const all = await repo.listRuleSets(ctx.tx);
  const s = all.find((x) => x.id === id);
  if (!s) throw notFound('规则集不存在');
  return s;
}

export const RuleSetRunBody = Type.Object({ mode: Type.Optional(enumOf(RUN_MODES)) }, { additionalProperties: false });

/** Runs an online set now, with its strategy unless the caller picks one. */
export async function runRuleSet(ctx: ServiceContext, id: number, b: typeof RuleSetRunBody.static) {
  const s = await repo.findRuleSet(ctx.tx, id);
  if (!s) throw notFound('规则集不存在');
  if (!s.online) throw unprocessable('规则集已下线，请先上线再运行', [{ field: 'online', message: '规则集已下线' }]);
  return requestRun(ctx, { ruleIds: s.rule_ids, mode: b.mode ?? s.strategy }, { ruleSetId: id, trigger: 'manual' });
}

export const listRuleSetsRoute = defineRoute({
  method: 'GET',
  url: '/compliance/rule-sets',
  summary: '规则集与调度（cron、全量/增量、上线/下线、最近一次运行）',
  auth: 'staff',
  permission: 'compliance.read',
  response: { 200: RuleSetList },
  handler: async (ctx) => ({ items: await repo.listRuleSets(ctx.tx) }),
});

export const getRuleSetRoute = defineRoute({
  method: 'GET',
  url: '/compliance/rule-sets/:id',
  summary: '规则集详情',
  auth: 'staff',
  permission: 'compliance.read',
  params: IdParams,
  response: { 200: RuleSet },
  handler: (ctx, { params }) => getRuleSet(ctx, params.id),
});

export const createRuleSetRoute = defineRoute({
  method: 'POST',
  url: '/compliance/rule-sets',
  summary: '新建规则集（规则、cron 调度、全量/增量、上线/下线）',
  auth: 'staff',
  permission: 'compliance.manage',
  scope: 'city',
  body: RuleSetBody,
  successStatus: 201,
  response: { 201: RuleSet },
  handler: (ctx, { body }) => {
    return createRuleSet(ctx, body);
  },
});

export const updateRuleSetRoute = defineRoute({
  method: 'PATCH',
  url: '/compliance/rule-sets/:id',
  summary: '修改规则集（含上线/下线与调度）',
  auth: 'staff',
  permission: 'compliance.manage',
  scope: 'city',
  params: IdParams,
  body: RuleSetPatch,
  response: { 200: RuleSet },
  handler: (ctx, { params, body }) => {
    return updateRuleSet(ctx, params.id, body);
  },
});

export const runRuleSetRoute = defineRoute({
  method: 'POST',
  url: '/compliance/rule-sets/:id/runs',
  summary: '立即运行规则集（按其策略，或指定全量/增量）',
  auth: 'staff',
  permission: 'compliance.manage',
  scope: 'city',
  params: IdParams,
  body: RuleSetRunBody,
  successStatus: 201,
  response: { 201: RunRequested },
  handler: (ctx, { params, body }) => {
    return runRuleSet(ctx, params.id, body);
  },
});
