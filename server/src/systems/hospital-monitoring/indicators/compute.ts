import { Type } from '@sinclair/typebox';
import type { Queryable } from '../../../platform/db/types.ts';
import { fieldError, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { between, date, ref } from '../../../platform/rules/build.ts';
import { type AggregateRow, type Dimension, runAggregateSql } from '../../../platform/rules/compile-aggregate.ts';
import { analyticsCatalog, DIMENSION_CODES, DIMENSION_TITLE, type DimensionCode, dimensionExprs, INDICATOR_SOURCES } from './catalog.ts';
import { type IndicatorDefinition, type IndicatorPart, partAggregate } from './definition.ts';
import * as repo from './repository.ts';
import { type Cell, ComputeResult } from './responses.ts';

/**
 * Computes indicators × dimensions × period into one table: every numerator and denominator is an
 * aggregate compiled by the rule engine and run in the caller's transaction, so row-level security
 * gives each user the figures of their own scope. Ratios are joined on the dimension keys here.
 */
export const MAX_INDICATORS = 6;
export const MAX_ROWS = 1000;
const MAX_DAYS = 3 * 366;

export interface ComputeInput {
  indicatorIds: number[];
  dimensions: DimensionCode[];
  from: string;
  to: string;
}

interface Group {
  keys: (string | number | null)[];
  labels: string[];
}

function keyText(v: unknown): string | number | null {
  return v === null || v === undefined ? null : typeof v === 'number' ? v : String(v);
}

/** Runs one part grouped by the dimensions; returns value per group id and the groups' labels. */
async function runPart(
  tx: Queryable,
  p: IndicatorPart,
  dims: DimensionCode[],
  from: string,
  to: string,
  groups: Map<string, Group>,
): Promise<Map<string, number | null>> {
  const dimensions: Dimension[] = [];
  for (const d of dims) {
    const e = dimensionExprs(p.source, d);
    dimensions.push({ name: `${d}_key`, expr: e.key });
    if (e.label) dimensions.push({ name: `${d}_label`, expr: e.label });
  }
  const period = between(ref(INDICATOR_SOURCES[p.source].dateField), date(from), date(to));
  const rows: AggregateRow[] = await runAggregateSql(tx, analyticsCatalog, partAggregate(p, period, dimensions));
  const out = new Map<string, number | null>();
  for (const r of rows) {
    const keys: (string | number | null)[] = [];
    const labels: string[] = [];
    let i = 0;
    for (const d of dims) {
      const k = keyText(r.keys[i++]);
      let label: string;
      if (d === 'month') label = k === null ? '未知月份' : String(k).slice(0, 7);
      else {
        const l = r.keys[i++];
        label = k === null ? `未填写${DIMENSION_TITLE[d]}` : l == null ? String(k) : String(l);
      }
      keys.push(d === 'month' && k !== null ? String(k).slice(0, 7) : k);
      labels.push(label);
    }
    const id = JSON.stringify(keys);
    if (!groups.has(id)) groups.set(id, { keys, labels });
    out.set(id, (out.get(id) ?? 0) + (r.value ?? 0));
  }
  return out;
}

function round(v: number, precision: number): number {
  const f = 10 ** precision;
  return Math.round(v * f) / f;
}

function cellOf(d: IndicatorDefinition, num: number | undefined, den: number | undefined): Cell {
  if (!d.denominator) {
    if (num === undefined) return { value: 0, numerator: 0, denominator: null };
    return { value: round(num * d.multiplier, d.precision), numerator: num, denominator: null };
  }
  const n = num ?? 0;
  if (den === undefined || den === 0) return { value: null, numerator: n, denominator: den ?? 0 };
  return { value: round((n / den) * d.multiplier, d.precision), numerator: n, denominator: den };
}

export async function computeIndicators(tx: Queryable, input: ComputeInput): Promise<ComputeResult> {
  const ids = [...new Set(input.indicatorIds)];
  const dims = [...new Set(input.dimensions)];
  if (input.from > input.to) throw fieldError('to', '截止日期不能早于起始日期');
  if ((Date.parse(input.to) - Date.parse(input.from)) / 86_400_000 > MAX_DAYS) throw fieldError('from', '统计区间不能超过 3 年');
  const indicators = await repo.listIndicators(tx, ids);
  if (indicators.length !== ids.length) throw notFound('所选指标不存在或已停用');
  const groups = new Map<string, Group>();
  const parts: { num: Map<string, number | null>; den?: Map<string, number | null> }[] = [];
  for (const ind of indicators) {
    const num = await runPart(tx, ind.definition.numerator, dims, input.from, input.to, groups);
    const den = ind.definition.denominator ? await runPart(tx, ind.definition.denominator, dims, input.from, input.to, groups) : undefined;
    parts.push({ num, den });
  }
  if (dims.length === 0 && groups.size === 0) groups.set('[]', { keys: [], labels: [] });
  const sorted = [...groups.entries()].sort(([, a], [, b]) => {
    for (let i = 0; i < dims.length; i++) {
      const c = dims[i] === 'month' ? String(a.keys[i] ?? '').localeCompare(String(b.keys[i] ?? '')) : a.labels[i]!.localeCompare(b.labels[i]!, 'zh-CN');
      if (c !== 0) return c;
    }
    return 0;
  });
  const rows = sorted.slice(0, MAX_ROWS).map(([id, g]) => ({
    keys: g.keys,
    labels: g.labels,
    cells: indicators.map((ind, i) => cellOf(ind.definition, parts[i]!.num.get(id) ?? undefined, parts[i]!.den?.get(id) ?? undefined)),
  }));
  return {
    dimensions: dims.map((code) => ({ code, title: DIMENSION_TITLE[code] })),
    indicators: indicators.map((i) => ({ id: i.id, title: i.title, unit: i.definition.unit, version: i.current_version, sentence: i.sentence })),
    rows,
    truncated: sorted.length > MAX_ROWS,
    period: { from: input.from, to: input.to },
  };
}

const IdList = Type.String({ pattern: '^[1-9][0-9]{0,15}(,[1-9][0-9]{0,15}){0,5}$', maxLength: 120, description: '指标编号，逗号分隔，最多 6 个' });
const DimList = Type.String({
  pattern: `^((${DIMENSION_CODES.join('|')})(,(${DIMENSION_CODES.join('|')}))?)?$`,
  maxLength: 40,
  description: '维度，逗号分隔，最多 2 个',
});

export const ComputeQuery = Type.Object(
  {
    ids: IdList,
    dims: Type.Optional(DimList),
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);

export function parseComputeQuery(q: typeof ComputeQuery.static): ComputeInput {
  return {
    indicatorIds: q.ids.split(',').map(Number),
    dimensions: (q.dims ? q.dims.split(',') : []) as DimensionCode[],
    from: q.from,
    to: q.to,
  };
}

export const computeRoute = defineRoute({
  method: 'GET',
  url: '/indicators/compute',
  summary: '计算指标：指标 × 维度（机构/科室/区/月份）× 统计区间，按调用者的数据权限',
  auth: 'staff',
  permission: 'indicators.read',
  querystring: ComputeQuery,
  response: { 200: ComputeResult },
  handler: (ctx, { query }) => computeIndicators(ctx.tx, parseComputeQuery(query)),
});

/** The value of an unsaved definition over a period (the editor's preview), under the caller's scope. */
export async function previewDefinition(tx: Queryable, d: IndicatorDefinition, from: string, to: string): Promise<Cell> {
  const groups = new Map<string, Group>();
  const num = await runPart(tx, d.numerator, [], from, to, groups);
  const den = d.denominator ? await runPart(tx, d.denominator, [], from, to, groups) : undefined;
  return cellOf(d, num.get('[]') ?? undefined, den?.get('[]') ?? undefined);
}
