import { Type } from '@sinclair/typebox';
import { badRequest } from '../../../platform/http/errors.ts';
import { defineRoute, fileResult } from '../../../platform/http/route.ts';
import { exportHeading, type SheetSpec, xlsxFile } from '../../../platform/reports/index.ts';
import { enumOf, FileResponse } from '../../../platform/http/schema.ts';
import { BaseCodesSummary } from './responses.ts';
import { rowsOf } from './collect.ts';
import { ENTITIES, type Entity, toCsv } from './format.ts';

const ENTITY_KEYS = Object.keys(ENTITIES) as Entity[];
const scopeNote = (s: { level: string; districtCode?: string | null }) => (s.level === 'city' ? '全市' : `区 ${s.districtCode}`);

export const summaryRoute = defineRoute({
  method: 'GET',
  url: '/base-codes/summary',
  summary: '基础编码导出概览（各类条数，按本人数据范围）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'base-codes.export',
  response: { 200: BaseCodesSummary },
  handler: async (ctx) => {
    const items = [];
    for (const e of ENTITY_KEYS) {
      const rows = await rowsOf(e, ctx.tx, ctx.principal.scope);
      items.push({ entity: e, title: ENTITIES[e].title, count: rows.length, fields: ENTITIES[e].fields.map((f) => ({ code: f.code, title: f.title })) });
    }
    return { scope: scopeNote(ctx.principal.scope), items };
  },
});

/**
 * 基础编码导出: regions, institutions and users in the national 基础编码管理系统 layout, as an Excel
 * workbook (one sheet per entity plus the field list) or one entity as CSV. A district administrator
 * gets their district only. Every export is audited (it includes staff accounts).
 */
export const exportRoute = defineRoute({
  method: 'GET',
  url: '/base-codes/export',
  summary: '导出基础编码（行政区划、机构、用户；Excel 或 CSV）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'base-codes.export',
  querystring: Type.Object(
    {
      entity: Type.Optional(enumOf(['all', ...ENTITY_KEYS] as const, { default: 'all' })),
      format: Type.Optional(enumOf(['xlsx', 'csv'] as const, { default: 'xlsx' })),
    },
    { additionalProperties: false },
  ),
  response: { 200: FileResponse },
  handler: async (ctx, { query }) => {
    const entity = query.entity ?? 'all';
    const format = query.format ?? 'xlsx';
    if (format === 'csv' && entity === 'all')
      throw badRequest('CSV 每次导出一类，请选择行政区划、机构或用户', [{ field: 'entity', message: 'CSV 须指定导出类别' }]);
    const entities = entity === 'all' ? ENTITY_KEYS : [entity];
    const data = new Map<Entity, Record<string, unknown>[]>();
    for (const e of entities) data.set(e, await rowsOf(e, ctx.tx, ctx.principal.scope));
    const counts = Object.fromEntries([...data].map(([e, rows]) => [e, rows.length]));
    ctx.audit.read({
      action: 'base-codes.export',
      objectType: 'base_codes',
      objectId: null,
      note: `${scopeNote(ctx.principal.scope)} ${format} ${JSON.stringify(counts)}`,
    });
    const stamp = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    if (format === 'csv') {
      const e = entities[0]!;
      return fileResult('text/csv; charset=utf-8', `基础编码-${ENTITIES[e].title}-${stamp}.csv`, toCsv(ENTITIES[e].fields, data.get(e) ?? []));
    }
    const sheets: SheetSpec[] = entities.map((e) => ({
      name: ENTITIES[e].title,
      columns: ENTITIES[e].fields.map((f) => ({ header: `${f.title}(${f.code})`, key: f.code, width: f.width })),
      rows: data.get(e) ?? [],
    }));
    sheets.push({
      name: '字段说明',
      columns: [
        { header: '类别', key: 'entity', width: 14 },
        { header: '字段代码', key: 'code', width: 12 },
        { header: '字段名称', key: 'title', width: 20 },
      ],
      rows: entities.flatMap((e) => ENTITIES[e].fields.map((f) => ({ entity: ENTITIES[e].title, code: f.code, title: f.title }))),
    });
    const what = entity === 'all' ? '全部' : ENTITIES[entity].title;
    // Like every report export: a title row naming what, whose data and when (each sheet, above the headers).
    return xlsxFile(`基础编码-${what}-${stamp}`, sheets, await exportHeading(ctx, `基础编码（${what}）`));
  },
});
