import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { fieldError, forbidden, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, Id, IdParams } from '../../../platform/http/schema.ts';
import { DIMENSION_CODES } from './catalog.ts';
import { MAX_INDICATORS } from './compute.ts';
import * as repo from './repository.ts';
import { SavedView, SavedViewList, ViewDeleted } from './responses.ts';

/**
 * Saved analysis views (组合分析视图): which indicators, which dimensions, which chart. A view is its
 * owner's; shared, it is visible to the users inside the owner's scope (the table's row-level security
 * decides), and only the owner changes or deletes it.
 */
export const CHART_TYPES = ['bar', 'line', 'pie'] as const;

export const ViewBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    shared: Type.Boolean(),
    indicatorIds: Type.Array(Id, { minItems: 1, maxItems: MAX_INDICATORS }),
    dimensions: Type.Array(enumOf(DIMENSION_CODES), { maxItems: 2 }),
    chartType: enumOf(CHART_TYPES),
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);
type ViewInput = typeof ViewBody.static;

const toView = (r: repo.ViewRow, userId: number | null): SavedView => ({
  id: r.id,
  name: r.name,
  ownerName: r.owner_name,
  mine: r.owner_user_id === userId,
  shared: r.shared,
  config: r.config,
  updatedAt: r.updated_at.toISOString(),
});

async function configOf(ctx: ServiceContext, b: ViewInput): Promise<repo.ViewConfig> {
  if (new Set(b.dimensions).size !== b.dimensions.length) throw fieldError('dimensions', '维度不能重复');
  if (b.chartType === 'pie' && (b.indicatorIds.length !== 1 || b.dimensions.length !== 1)) {
    throw fieldError('chartType', '饼图只能展示一个指标、一个维度');
  }
  if (b.from && b.to && b.from > b.to) throw fieldError('to', '截止日期不能早于起始日期');
  const ids = [...new Set(b.indicatorIds)];
  const found = await repo.listIndicators(ctx.tx, ids);
  if (found.length !== ids.length) throw fieldError('indicatorIds', '所选指标不存在或已停用');
  const c: repo.ViewConfig = { indicatorIds: ids, dimensions: b.dimensions, chartType: b.chartType };
  if (b.from) c.from = b.from;
  if (b.to) c.to = b.to;
  return c;
}

function owner(ctx: ServiceContext): number {
  if (ctx.principal.userId == null) throw forbidden('只有登录用户可以保存视图');
  return ctx.principal.userId;
}

export async function createView(ctx: ServiceContext, b: ViewInput): Promise<SavedView> {
  const userId = owner(ctx);
  const config = await configOf(ctx, b);
  const s = ctx.principal.scope;
  const id = await repo.insertView(ctx.tx, {
    name: b.name.trim(),
    ownerId: userId,
    ownerName: ctx.principal.displayName,
    shared: b.shared,
    // The audience of a shared view is the owner's own scope.
    district: s.level === 'city' ? null : (s.districtCode ?? null),
    institution: s.level === 'institution' || s.level === 'team' || s.level === 'own' ? (s.institutionId ?? null) : null,
    config,
  });
  ctx.audit.write({ action: 'indicators.view.create', objectType: 'ind_view', objectId: id, after: { name: b.name, shared: b.shared, config } });
  return toView((await repo.findView(ctx.tx, id))!, userId);
}

async function ownView(ctx: ServiceContext, id: number): Promise<repo.ViewRow> {
  const v = await repo.findView(ctx.tx, id);
  if (!v) throw notFound('视图不存在');
  if (v.owner_user_id !== ctx.principal.userId) throw forbidden('只有视图的创建人可以修改或删除');
  return v;
}

export async function updateView(ctx: ServiceContext, id: number, b: ViewInput): Promise<SavedView> {
  const before = await ownView(ctx, id);
  const config = await configOf(ctx, b);
  await repo.updateView(ctx.tx, id, { name: b.name.trim(), shared: b.shared, config });
  ctx.audit.write({
    action: 'indicators.view.update',
    objectType: 'ind_view',
    objectId: id,
    before: { name: before.name, shared: before.shared, config: before.config },
    after: { name: b.name, shared: b.shared, config },
  });
  return toView((await repo.findView(ctx.tx, id))!, ctx.principal.userId);
}

export async function deleteView(ctx: ServiceContext, id: number): Promise<{ id: number; deleted: true }> {
  const before = await ownView(ctx, id);
  await repo.deleteView(ctx.tx, id);
  ctx.audit.write({ action: 'indicators.view.delete', objectType: 'ind_view', objectId: id, before: { name: before.name, config: before.config } });
  return { id, deleted: true };
}

export const listViewsRoute = defineRoute({
  method: 'GET',
  url: '/indicators/views',
  summary: '我的与共享给我的分析视图',
  auth: 'staff',
  permission: 'indicators.read',
  response: { 200: SavedViewList },
  handler: async (ctx) => ({ items: (await repo.listViews(ctx.tx)).map((r) => toView(r, ctx.principal.userId)) }),
});

export const createViewRoute = defineRoute({
  method: 'POST',
  url: '/indicators/views',
  summary: '保存分析视图（指标、维度、图表类型；可共享）',
  auth: 'staff',
  permission: 'indicators.read',
  body: ViewBody,
  successStatus: 201,
  response: { 201: SavedView },
  handler: (ctx, { body }) => createView(ctx, body),
});

export const updateViewRoute = defineRoute({
  method: 'PUT',
  url: '/indicators/views/:id',
  summary: '修改分析视图（仅创建人）',
  auth: 'staff',
  permission: 'indicators.read',
  params: IdParams,
  body: ViewBody,
  response: { 200: SavedView },
  handler: (ctx, { params, body }) => updateView(ctx, params.id, body),
});

export const deleteViewRoute = defineRoute({
  method: 'DELETE',
  url: '/indicators/views/:id',
  summary: '删除分析视图（仅创建人）',
  auth: 'staff',
  permission: 'indicators.read',
  params: IdParams,
  response: { 200: ViewDeleted },
  handler: (ctx, { params }) => deleteView(ctx, params.id),
});
