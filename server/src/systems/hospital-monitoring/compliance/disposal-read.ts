import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, Id, IdParams, pageOf, Paging } from '../../../platform/http/schema.ts';
import * as repo from './disposal-repository.ts';
import { allowedActions, DISPOSAL_STATUSES, STATUS_TITLE } from './disposal-state.ts';
import { DisposalBoard, DisposalDetail, DisposalList } from './responses.ts';

const Filters = {
  institutionId: Type.Optional(Id),
  districtCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', maxLength: 6 })),
};

export const DisposalListQuery = Type.Object(
  { ...Filters, status: Type.Optional(enumOf(DISPOSAL_STATUSES)), overdue: Type.Optional(Type.Boolean()), ...Paging },
  { additionalProperties: false },
);
export const BoardQuery = Type.Object(Filters, { additionalProperties: false });

const withTitle = (r: repo.DisposalRow) => ({ ...r, statusTitle: STATUS_TITLE[r.status] });

/** Orders in the caller's scope (a hospital sees its own institution's), newest first. */
export async function listDisposals(ctx: ServiceContext, q: typeof DisposalListQuery.static) {
  const { rows, total } = await repo.listDisposals(ctx.tx, q, pageOf(q));
  return { items: rows.map(withTitle), total };
}

/** The status board: orders and overdue orders per state, in the caller's scope. */
export async function disposalBoard(ctx: ServiceContext, q: typeof BoardQuery.static) {
  const counts = await repo.boardCounts(ctx.tx, q);
  const states = DISPOSAL_STATUSES.map((status) => {
    const c = counts.find((x) => x.status === status);
    return { status, title: STATUS_TITLE[status], count: c?.n ?? 0, overdue: c?.overdue ?? 0 };
  });
  return { states, total: states.reduce((s, x) => s + x.count, 0), overdue: states.reduce((s, x) => s + x.overdue, 0) };
}

/** One order: its findings, its timeline and the action the caller may take now. */
export async function getDisposal(ctx: ServiceContext, id: number) {
  const o = await repo.findDisposal(ctx.tx, id);
  if (!o) throw notFound('处置单不存在或不在您的数据权限范围内');
  const [findings, timeline] = await Promise.all([repo.orderFindings(ctx.tx, id), repo.listEvents(ctx.tx, id)]);
  return { ...withTitle(o), findings, timeline, actions: allowedActions(ctx.principal, o.status) };
}

export const listDisposalsRoute = defineRoute({
  method: 'GET',
  url: '/compliance/disposals',
  summary: '处置单列表：按机构、区、状态、是否逾期筛选',
  auth: 'staff',
  permission: 'compliance.disposal.read',
  querystring: DisposalListQuery,
  response: { 200: DisposalList },
  handler: (ctx, { query }) => listDisposals(ctx, query),
});

export const disposalBoardRoute = defineRoute({
  method: 'GET',
  url: '/compliance/disposals/board',
  summary: '处置单状态看板：各状态数量与逾期数量',
  auth: 'staff',
  permission: 'compliance.disposal.read',
  querystring: BoardQuery,
  response: { 200: DisposalBoard },
  handler: (ctx, { query }) => disposalBoard(ctx, query),
});

export const getDisposalRoute = defineRoute({
  method: 'GET',
  url: '/compliance/disposals/:id',
  summary: '处置单详情：监测结果、处置时间线、当前可执行的操作',
  auth: 'staff',
  permission: 'compliance.disposal.read',
  params: IdParams,
  response: { 200: DisposalDetail },
  handler: (ctx, { params }) => getDisposal(ctx, params.id),
});
