import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { forbidden, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { TYPE_TITLE } from '../../../platform/rules/index.ts';
import { IdParams } from '../../../platform/http/schema.ts';
import { analyticsCatalog, DIMENSIONS, INDICATOR_SOURCES, INDICATOR_SOURCE_NAMES } from './catalog.ts';
import { assertDefinition, DefinitionSchema, describeDefinition, type IndicatorDefinition } from './definition.ts';
import { previewDefinition } from './compute.ts';
import * as repo from './repository.ts';
import { addDays, todayInShanghai } from '../../../platform/util/dates.ts';
import { Archived, EditorCatalog, Indicator, IndicatorDetail, IndicatorList, Preview } from './responses.ts';

/** An indicator as the API answers it (its current version). */
export type IndicatorView = Indicator;

export const view = (r: repo.IndicatorRow): IndicatorView => ({
  id: r.id,
  code: r.code,
  title: r.title,
  description: r.description,
  version: r.current_version,
  builtin: r.builtin,
  definition: r.definition,
  sentence: r.sentence,
  createdBy: r.created_by,
  updatedAt: r.updated_at.toISOString(),
});

export const CreateBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 60 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    definition: DefinitionSchema,
  },
  { additionalProperties: false },
);

export async function createIndicator(
  ctx: ServiceContext,
  b: typeof CreateBody.static,
  opts: { code?: string; builtin?: boolean } = {},
): Promise<IndicatorView> {
  const d = b.definition as IndicatorDefinition;
  assertDefinition(d);
  const id = await repo.insertIndicator(ctx.tx, {
    code: opts.code ?? null,
    title: b.title.trim(),
    description: b.description?.trim() || null,
    builtin: opts.builtin ?? false,
    createdBy: ctx.principal.username,
  });
  const sentence = describeDefinition(d);
  await repo.insertVersion(ctx.tx, id, 1, d, sentence, ctx.principal.username);
  ctx.audit.write({ action: 'indicators.create', objectType: 'ind_indicator', objectId: id, after: { title: b.title, definition: d, sentence } });
  return view((await repo.findIndicator(ctx.tx, id))!);
}

export const VersionBody = CreateBody;

/** A new version becomes current; earlier versions stay for the record. */
export async function newIndicatorVersion(ctx: ServiceContext, id: number, b: typeof VersionBody.static): Promise<IndicatorView> {
  const cur = await repo.findIndicator(ctx.tx, id, true);
  if (!cur) throw notFound('指标不存在');
  const d = b.definition as IndicatorDefinition;
  assertDefinition(d);
  const version = cur.current_version + 1;
  const sentence = describeDefinition(d);
  await repo.insertVersion(ctx.tx, id, version, d, sentence, ctx.principal.username);
  await repo.setCurrent(ctx.tx, id, version, b.title.trim(), b.description?.trim() || null);
  ctx.audit.write({
    action: 'indicators.version',
    objectType: 'ind_indicator',
    objectId: id,
    before: { version: cur.current_version, title: cur.title, definition: cur.definition },
    after: { version, title: b.title, definition: d },
  });
  return view((await repo.findIndicator(ctx.tx, id))!);
}

/** What the indicator editor offers: sources, their fields (own and via the encounter), dimensions. */
export function editorCatalog(): EditorCatalog {
  const fieldsOf = (name: string, prefix: string, titlePrefix: string) =>
    [...analyticsCatalog.sources.get(name)!.fields.values()]
      .filter((f) => f.name !== 'updated_at' && !f.name.endsWith('_auth_key'))
      .map((f) => ({
        name: `${prefix}${f.name}`,
        title: `${titlePrefix}${f.title}`,
        type: f.type,
        typeTitle: TYPE_TITLE[f.type],
        codes: f.codeList?.codes ? Object.entries(f.codeList.codes).map(([code, label]) => ({ code, label })) : undefined,
      }));
  return {
    sources: INDICATOR_SOURCE_NAMES.map((name) => ({
      name,
      title: INDICATOR_SOURCES[name].title,
      dateField: INDICATOR_SOURCES[name].dateField,
      fields: [...fieldsOf(name, '', ''), ...(name === 'encounter' ? [] : fieldsOf('encounter', 'encounter.', '就诊的'))],
    })),
    dimensions: DIMENSIONS.map(([code, title]) => ({ code, title })),
    measures: [
      { code: 'count', title: '计数（行数）' },
      { code: 'countDistinct', title: '去重计数' },
      { code: 'sum', title: '求和' },
    ],
  };
}

export const catalogRoute = defineRoute({
  method: 'GET',
  url: '/indicators/catalog',
  summary: '指标编辑器的数据目录（数据源、字段、维度、统计方式）',
  auth: 'staff',
  permission: 'indicators.read',
  response: { 200: EditorCatalog },
  handler: async () => editorCatalog(),
});

export const listIndicatorsRoute = defineRoute({
  method: 'GET',
  url: '/indicators',
  summary: '自定义指标列表（含中文口径说明）',
  auth: 'staff',
  permission: 'indicators.read',
  response: { 200: IndicatorList },
  handler: async (ctx) => ({ items: (await repo.listIndicators(ctx.tx)).map(view) }),
});

export const getIndicatorRoute = defineRoute({
  method: 'GET',
  url: '/indicators/:id',
  summary: '指标详情与版本历史',
  auth: 'staff',
  permission: 'indicators.read',
  params: IdParams,
  response: { 200: IndicatorDetail },
  handler: async (ctx, { params }) => {
    const r = await repo.findIndicator(ctx.tx, params.id);
    if (!r) throw notFound('指标不存在');
    const versions = await repo.listVersions(ctx.tx, params.id);
    return {
      ...view(r),
      versions: versions.map((v) => ({ version: v.version, sentence: v.sentence, createdBy: v.created_by, createdAt: v.created_at.toISOString() })),
    };
  },
});

export const createIndicatorRoute = defineRoute({
  method: 'POST',
  url: '/indicators',
  summary: '新建自定义指标（类型检查，返回中文口径）',
  auth: 'staff',
  permission: 'indicators.manage',
  scope: 'city',
  body: CreateBody,
  successStatus: 201,
  response: { 201: Indicator },
  handler: (ctx, { body }) => {
    return createIndicator(ctx, body);
  },
});

export const newVersionRoute = defineRoute({
  method: 'POST',
  url: '/indicators/:id/versions',
  summary: '保存自定义指标的新版本',
  auth: 'staff',
  permission: 'indicators.manage',
  scope: 'city',
  params: IdParams,
  body: VersionBody,
  response: { 200: Indicator },
  handler: (ctx, { params, body }) => {
    return newIndicatorVersion(ctx, params.id, body);
  },
});

export const archiveIndicatorRoute = defineRoute({
  method: 'POST',
  url: '/indicators/:id/archive',
  summary: '停用（归档）自定义指标',
  auth: 'staff',
  permission: 'indicators.manage',
  scope: 'city',
  params: IdParams,
  response: { 200: Archived },
  handler: async (ctx, { params }) => {
    const cur = await repo.findIndicator(ctx.tx, params.id, true);
    if (!cur) throw notFound('指标不存在');
    if (cur.builtin) throw forbidden('内置指标不能停用');
    await repo.archive(ctx.tx, params.id);
    ctx.audit.write({ action: 'indicators.archive', objectType: 'ind_indicator', objectId: params.id, before: { archived: false }, after: { archived: true } });
    return { id: params.id, archived: true };
  },
});

export const PreviewBody = Type.Object({ definition: DefinitionSchema }, { additionalProperties: false });

/** The last 12 months up to yesterday (Shanghai). */
function lastYear(): { from: string; to: string } {
  const today = todayInShanghai();
  return { from: addDays(today, -366), to: addDays(today, -1) };
}

export const previewRoute = defineRoute({
  method: 'POST',
  url: '/indicators/preview',
  summary: '预览指标定义：中文口径与近 12 个月的计算结果（不保存）',
  auth: 'staff',
  permission: 'indicators.manage',
  body: PreviewBody,
  response: { 200: Preview },
  handler: async (ctx, { body }) => {
    const d = body.definition as IndicatorDefinition;
    assertDefinition(d);
    const period = lastYear();
    return { sentence: describeDefinition(d), period, result: await previewDefinition(ctx.tx, d, period.from, period.to) };
  },
});
