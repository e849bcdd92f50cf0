/**
 * Aggregates over a catalog source — the building block of custom indicators (自定义指标): "sum of
 * fee_line.amount where category = 检查, per institution and month". An aggregate is a rule in disguise:
 * its filter is the rule's `when`, its dimensions and measured field are the rule's select items, so
 * both back ends are the rule engine's own — the SQL side wraps compileRule's query in one GROUP BY,
 * the in-memory side groups the evaluator's hits. Nothing about expressions is compiled twice, and
 * agreement-aggregate.test.ts holds the two sides together like agreement.test.ts does for rules.
 *
 * Semantics (PostgreSQL's): rows where the filter is not true are left out; a dimension that is NULL
 * forms its own group (GROUP BY keeps NULL as one key); `count` counts rows, `countDistinct` the
 * distinct non-NULL values of `of`, `sum` adds the non-NULL values of `of` (exactly, like the engine's
 * sum: number fields are numeric(p, s)) and is NULL for a group with no non-NULL value.
 */
import type { Expr, FieldRef, Rule, RunOptions } from './ast.ts';
import type { Catalog } from './catalog.ts';
import { checkExpr, type Problem, RuleError, resolveField } from './check.ts';
import { sql } from '../db/sql.ts';
import { compileRule, type CompiledSql } from './compile-sql.ts';
import { evaluate, type Dataset } from './evaluate.ts';
import type { Queryable } from '../db/types.ts';

export type MeasureFn = 'count' | 'countDistinct' | 'sum';

export const MEASURE_TITLE: Record<MeasureFn, string> = { count: '计数', countDistinct: '去重计数', sum: '求和' };

export interface Dimension {
  name: string;
  expr: Expr;
}

export interface Aggregate {
  source: string;
  fn: MeasureFn;
  /** The measured field (countDistinct, sum); a "to-one" path is allowed (`encounter.person_id`). */
  of?: FieldRef;
  /** Which rows count; omitted: every row. */
  where?: Expr;
  dimensions?: Dimension[];
}

/** One group: the dimension values (dates 'YYYY-MM-DD', timestamps Date, as the rule engine returns them) and the measure. */
export interface AggregateRow {
  keys: unknown[];
  value: number | null;
}

const DIMENSION_TYPES = new Set(['integer', 'string', 'code', 'date', 'boolean', 'timestamp']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;

/** Every problem of an aggregate (zh-CN, with paths such as `where.args[0]`, `dimensions[1]`). */
export function checkAggregate(catalog: Catalog, a: Aggregate): Problem[] {
  const problems: Problem[] = [];
  if (!a || typeof a !== 'object') return [{ path: '', message: '指标口径须是一个对象' }];
  const src = typeof a.source === 'string' ? catalog.sources.get(a.source) : undefined;
  if (!src) return [{ path: 'source', message: `未知的数据源「${String(a.source)}」` }];
  const sub = (path: string, e: Expr) =>
    checkExpr(catalog, a.source, e).problems.map((p) => ({ path: p.path ? `${path}${p.path}` : path, message: p.message }));
  if (a.fn !== 'count' && a.fn !== 'countDistinct' && a.fn !== 'sum') problems.push({ path: 'fn', message: `未知的统计方式「${String(a.fn)}」` });
  if (a.fn === 'count' && a.of !== undefined) problems.push({ path: 'of', message: '计数按行统计，不指定字段' });
  if (a.fn === 'countDistinct' || a.fn === 'sum') {
    if (a.of?.kind !== 'field') problems.push({ path: 'of', message: `「${MEASURE_TITLE[a.fn]}」须指定字段` });
    else {
      const c = checkExpr(catalog, a.source, a.of);
      if (c.problems.length) problems.push(...sub('of', a.of));
      else if (a.fn === 'sum' && c.type && c.type.type !== 'integer' && c.type.type !== 'number') {
        problems.push({ path: 'of', message: `求和只能用于数值字段，「${c.type.title ?? '该字段'}」不是数值` });
      }
    }
  }
  if (a.where !== undefined) {
    const c = checkExpr(catalog, a.source, a.where);
    if (c.problems.length) problems.push(...sub('where', a.where));
    else if (c.type?.type !== 'boolean') problems.push({ path: 'where', message: '筛选条件须是条件（是/否）' });
  }
  if (a.dimensions !== undefined) {
    if (!Array.isArray(a.dimensions)) problems.push({ path: 'dimensions', message: '维度须是列表' });
    else {
      const names = new Set<string>();
      a.dimensions.forEach((d, i) => {
        const path = `dimensions[${i}]`;
        if (!d || typeof d.name !== 'string' || !NAME.test(d.name)) problems.push({ path, message: '维度缺少名称' });
        else if (names.has(d.name)) problems.push({ path, message: `维度「${d.name}」重复` });
        else names.add(d.name);
        const c = checkExpr(catalog, a.source, d?.expr);
        if (c.problems.length) problems.push(...sub(`${path}.expr`, d?.expr));
        else if (c.type && !DIMENSION_TYPES.has(c.type.type)) problems.push({ path, message: '维度须是整数、文本、代码、日期、时间或是/否' });
      });
    }
  }
  return problems;
}

/** The aggregate as an engine rule: `when` = the filter, select = dimensions d0… then the measured field m. */
function asRule(a: Aggregate): Rule {
  const select = (a.dimensions ?? []).map((d, i) => ({ name: `d${i}`, expr: d.expr }));
  if (a.of) select.push({ name: 'm', expr: a.of });
  return { id: 'aggregate', version: 1, source: a.source, title: '指标口径', when: a.where ?? { kind: 'lit', value: true }, select };
}

function assertValid(catalog: Catalog, a: Aggregate): void {
  const problems = checkAggregate(catalog, a);
  if (problems.length) throw new RuleError(problems);
}

/** One query returning `d0…` (dimension values) and `value` per group; no dimensions: one row. */
export function compileAggregate(catalog: Catalog, a: Aggregate, opts: RunOptions = {}): CompiledSql {
  assertValid(catalog, a);
  const inner = compileRule(catalog, asRule(a), opts);
  const dims = (a.dimensions ?? []).map((_, i) => `q.c${i}`);
  const m = `q.c${dims.length}`;
  const value = a.fn === 'count' ? 'count(*)::int8' : a.fn === 'countDistinct' ? `count(DISTINCT ${m})::int8` : `sum(${m})`;
  const select = [...dims.map((d, i) => `${d} AS d${i}`), `${value} AS value`].join(', ');
  const group = dims.length ? ` GROUP BY ${dims.map((_, i) => i + 1).join(', ')}` : '';
  const s = sql`SELECT ${sql.raw(select)} FROM (${inner.sql}) q${sql.raw(group)}`;
  const c = s.compile();
  return { sql: s, text: c.text, params: c.values };
}

/** Runs the aggregate in the database (under the caller's transaction, so row-level security applies). */
export async function runAggregateSql(q: Queryable, catalog: Catalog, a: Aggregate, opts: RunOptions = {}): Promise<AggregateRow[]> {
  const c = compileAggregate(catalog, a, opts);
  const rows = await q.query<Record<string, unknown>>(c.sql);
  const n = a.dimensions?.length ?? 0;
  return rows.map((r) => ({
    keys: Array.from({ length: n }, (_, i) => r[`d${i}`] ?? null),
    value: r.value == null ? null : Number(r.value),
  }));
}

const keyOf = (v: unknown) => (v instanceof Date ? `t${v.getTime()}` : JSON.stringify(v ?? null));

/** The same aggregate over an in-memory dataset (previews, tests): the evaluator's hits, grouped. */
export function evaluateAggregate(catalog: Catalog, a: Aggregate, data: Dataset, opts: RunOptions = {}): AggregateRow[] {
  assertValid(catalog, a);
  const hits = evaluate(catalog, asRule(a), data, opts);
  const n = a.dimensions?.length ?? 0;
  // Exact sums like the engine's: number fields add as scaled integers.
  let factor = 1;
  if (a.fn === 'sum' && a.of) {
    const f = resolveField(catalog, catalog.sources.get(a.source)!, a.of).field;
    if (f.type === 'number') factor = 10 ** f.scale;
  }
  const groups = new Map<string, { keys: unknown[]; count: number; distinct: Set<string>; total: number; any: boolean }>();
  for (const h of hits) {
    const keys = Array.from({ length: n }, (_, i) => h.values[`d${i}`] ?? null);
    const id = keys.map(keyOf).join('\u0000');
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { keys, count: 0, distinct: new Set(), total: 0, any: false }));
    g.count++;
    const m = h.values.m;
    if (m === null || m === undefined) continue;
    if (a.fn === 'countDistinct') g.distinct.add(keyOf(m));
    else if (a.fn === 'sum') {
      g.any = true;
      g.total += factor === 1 ? (m as number) : Math.round((m as number) * factor);
    }
  }
  if (n === 0 && groups.size === 0) groups.set('', { keys: [], count: 0, distinct: new Set(), total: 0, any: false });
  return [...groups.values()].map((g) => ({
    keys: g.keys,
    value: a.fn === 'count' ? g.count : a.fn === 'countDistinct' ? g.distinct.size : g.any ? g.total / factor + 0 : null,
  }));
}
