import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { Id, IdParams, pageOf, Paging } from '../../../platform/http/schema.ts';
import { CATEGORY_TITLE, type Category } from './catalog.ts';
import * as repo from './repository.ts';
import { CategorySchema } from './shapes.ts';
import { FindingDetail, FindingList } from './responses.ts';

const DateStr = Type.String({ format: 'date', maxLength: 10 });

export const FindingsQuery = Type.Object(
  {
    category: Type.Optional(CategorySchema),
    ruleId: Type.Optional(Id),
    institutionId: Type.Optional(Id),
    departmentId: Type.Optional(Id),
    practitionerId: Type.Optional(Id),
    from: Type.Optional(DateStr),
    to: Type.Optional(DateStr),
    ...Paging,
  },
  { additionalProperties: false },
);

const withTitle = (f: Record<string, unknown>) => ({ ...f, categoryTitle: CATEGORY_TITLE[f.category as Category] });

/** The case list: findings in the caller's scope (row-level security), patients masked. */
export async function listFindings(ctx: ServiceContext, q: typeof FindingsQuery.static) {
  const { rows, total } = await repo.listFindings(ctx.tx, q, pageOf(q));
  return { items: rows.map(withTitle), total };
}

/** One case: the finding, why the rule hit, and the encounter's fee lines, diagnoses and procedures. */
export async function getFinding(ctx: ServiceContext, id: number) {
  const f = await repo.findFinding(ctx.tx, id);
  if (!f) throw notFound('监测结果不存在或不在您的数据权限范围内');
  const encounter = f.encounterId ? await repo.encounterRecords(ctx.tx, Number(f.encounterId)) : null;
  ctx.audit.read({ action: 'compliance.finding.view', objectType: 'cm_finding', objectId: id });
  return { ...withTitle(f), encounter };
}

export const listFindingsRoute = defineRoute({
  method: 'GET',
  url: '/compliance/findings',
  summary: '监测结果（病例）列表：按类别、机构、科室、医师、日期筛选',
  auth: 'staff',
  permission: 'compliance.read',
  querystring: FindingsQuery,
  response: { 200: FindingList },
  handler: (ctx, { query }) => listFindings(ctx, query),
});

export const getFindingRoute = defineRoute({
  method: 'GET',
  url: '/compliance/findings/:id',
  summary: '监测结果详情（单个病例）',
  auth: 'staff',
  permission: 'compliance.read',
  params: IdParams,
  response: { 200: FindingDetail },
  handler: (ctx, { params }) => getFinding(ctx, params.id),
});
