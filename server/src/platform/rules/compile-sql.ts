/**
 * The one compiler from a rule to PostgreSQL. The query is set-based: the source table is scanned
 * once, "to-one" paths become LEFT JOINs, and every aggregation becomes a grouped subquery joined back
 * on its keys (one subquery per distinct over/by/where, however many aggregates read it), so a rule
 * over millions of rows is a few hash joins rather than a correlated subquery per row.
 * Identifiers come only from the catalog (quoteIdent); every value is a typed parameter. The result is a
 * `sql` fragment (platform/db/sql.ts), so a caller composes it into a larger query instead of patching text.
 */
import type { Agg, Expr, FieldRef, Hit, Rule, RunOptions } from './ast.ts';
import { type Catalog, type Field, quoteIdent, type Relation, type Source, sourceOf, type ValueType } from './catalog.ts';
import { assertValidRule, resolveAgg, resolveField, typeOf } from './check.ts';
import { todayInShanghai } from './dates.ts';
import { Sql } from '../db/sql.ts';
import type { Queryable } from '../db/types.ts';

export interface CompiledSql {
  /** The query as a fragment: `sql\`select … from (${c.sql}) q where …\`` composes it. */
  sql: Sql;
  /** `sql` compiled on its own: text with $1 … and its parameters (tests, the rule's SQL shown to staff). */
  text: string;
  params: unknown[];
}

function compiled(sql: Sql): CompiledSql {
  const c = sql.compile();
  return { sql, text: c.text, params: c.values };
}

export interface SqlOptions extends RunOptions {
  /** Previews: the first `limit` hits by key. */
  limit?: number;
}

export interface CompiledRuleSql extends CompiledSql {
  /** Select item names in column order; the query returns `key`, then `c0`, `c1`, … */
  columns: string[];
}

const PG_TYPE: Record<ValueType, string> = {
  string: 'text',
  code: 'text',
  integer: 'int8',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
};

/** UTC+8 as an interval: ISO sign convention, unlike a POSIX zone name 'UTC+8' which means UTC−8. */
const SHANGHAI = `INTERVAL '+08:00'`;

const col = (alias: string, f: Field) => `${alias}.${quoteIdent(f.column)}`;

/** A grouped subquery shared by every aggregate with the same over/by/where. */
interface AggJoin {
  alias: string;
  from: string;
  inner: Scope;
  keysInner: string[];
  keysOuter: string[];
  where: string | null;
  values: Map<string, string>;
  /** Conditions on the group's own values that every hit needs (see `havingConditions`). */
  having: string[];
}

type CmpOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
const FLIP: Record<CmpOp, CmpOp> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/**
 * Top-level conjuncts of `when` of the form `agg op constant` whose empty window fails them (count 0 > 3
 * is false; a sum over nothing is NULL). A hit needs the conjunct true, so only groups that pass it can
 * produce hits: they are filtered inside the grouped subquery (HAVING) and joined back with an inner
 * join — "sum per stay > 50,000" then joins back the few thousand stays that pass instead of every
 * stay's total to every fee line.
 */
function havingConditions(catalog: Catalog, source: Source, when: Expr): Map<Agg, { op: CmpOp; value: Expr }[]> {
  const out = new Map<Agg, { op: CmpOp; value: Expr }[]>();
  const conjuncts: Expr[] = [];
  const flatten = (e: Expr) => (e.kind === 'and' ? e.args.forEach(flatten) : conjuncts.push(e));
  flatten(when);
  for (const c of conjuncts) {
    if (c.kind !== 'cmp') continue;
    let agg: Agg, value: Expr, op: CmpOp;
    if (c.left.kind === 'agg' && c.right.kind === 'lit') [agg, value, op] = [c.left, c.right, c.op];
    else if (c.right.kind === 'agg' && c.left.kind === 'lit') [agg, value, op] = [c.right, c.left, FLIP[c.op]];
    else continue;
    if (value.kind !== 'lit' || typeof value.value !== 'number') continue;
    const t = typeOf(catalog, source, agg).type;
    if (t !== 'integer' && t !== 'number') continue;
    if ((agg.fn === 'count' || agg.fn === 'countDistinct') && compareNumbers(0, op, value.value)) continue;
    const list = out.get(agg) ?? [];
    list.push({ op, value });
    out.set(agg, list);
  }
  return out;
}

function compareNumbers(a: number, op: CmpOp, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '<>':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

class Ctx {
  readonly params: unknown[] = [];
  readonly aggs = new Map<string, AggJoin>();
  having = new Map<Agg, { op: CmpOp; value: Expr }[]>();
  private n = 0;
  private todayRef?: string;
  constructor(
    readonly catalog: Catalog,
    readonly today: string,
  ) {}

  alias(prefix: string): string {
    return `${prefix}${++this.n}`;
  }

  /**
   * A value's place in the text being built: a marker no catalog identifier or keyword contains, turned
   * into a fragment value by `fragment` once the text is done (numbered there, in text order, once).
   */
  param(value: unknown, pgType: string): string {
    const index = this.params.push(value) - 1;
    return `\u0000${index}\u0000::${pgType}`;
  }

  fragment(text: string): Sql {
    const parts = text.split(/\u0000(\d+)\u0000/);
    const strings = parts.filter((_, i) => i % 2 === 0);
    const values = parts.filter((_, i) => i % 2 === 1).map((i) => this.params[Number(i)]);
    return new Sql(strings, values);
  }

  todaySql(): string {
    this.todayRef ??= this.param(this.today, 'date');
    return this.todayRef;
  }
}

/** A FROM item and the LEFT JOINs its field paths needed. */
class Scope {
  readonly joins: string[] = [];
  private readonly byPath = new Map<string, string>();
  constructor(
    readonly ctx: Ctx,
    readonly source: Source,
    readonly alias: string,
    readonly inAgg: boolean,
  ) {}

  field(ref: FieldRef): string {
    const { field, hops } = resolveField(this.ctx.catalog, this.source, ref);
    // A column kept equal to the related field spares the join (per-patient windows over fee lines).
    const copy = hops.length > 0 ? this.source.copies.get([...(ref.path ?? []), ref.name].join('.')) : undefined;
    if (copy) return col(this.alias, copy);
    return col(this.walk(hops), field);
  }

  /** The alias of the row reached along "to-one" relations (LEFT JOINs, shared by equal paths). */
  walk(hops: readonly Relation[]): string {
    let alias = this.alias;
    let key = '';
    for (const h of hops) {
      key += `/${h.name}`;
      let next = this.byPath.get(key);
      if (!next) {
        next = this.ctx.alias('j');
        const to = sourceOf(this.ctx.catalog, h.to);
        this.joins.push(`LEFT JOIN ${quoteIdent(to.table)} ${next} ON ${col(next, h.toField)} = ${col(alias, h.fromField)}`);
        this.byPath.set(key, next);
      }
      alias = next;
    }
    return alias;
  }
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&');
}

function typeIn(scope: Scope, e: Expr) {
  return typeOf(scope.ctx.catalog, scope.source, e, scope.inAgg);
}

function sql(scope: Scope, e: Expr): string {
  const ctx = scope.ctx;
  const s = (x: Expr) => sql(scope, x);
  switch (e.kind) {
    case 'lit': {
      const t = typeIn(scope, e).type;
      return e.value === null ? `NULL::${PG_TYPE[t]}` : ctx.param(e.value, PG_TYPE[t]);
    }
    case 'field':
      return scope.field(e);
    case 'today':
      return ctx.todaySql();
    case 'cmp': {
      const ordering = e.op !== '=' && e.op !== '<>';
      const c = ordering && typeIn(scope, e.left).type === 'string' ? ' COLLATE "C"' : '';
      return `(${s(e.left)}${c} ${e.op} ${s(e.right)}${c})`;
    }
    case 'and':
    case 'or':
      return `(${e.args.map(s).join(e.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(NOT ${s(e.arg)})`;
    case 'isNull':
      return `(${s(e.arg)} IS NULL)`;
    case 'in': {
      const t = typeIn(scope, e.arg).type;
      return `(${s(e.arg)} = ANY(${ctx.param(e.values, `${PG_TYPE[t]}[]`)}))`;
    }
    case 'between': {
      // The argument is written twice but compiled once, so its parameters are shared.
      const c = typeIn(scope, e.arg).type === 'string' ? ' COLLATE "C"' : '';
      const x = s(e.arg);
      return `(${x}${c} >= ${s(e.low)}${c} AND ${x}${c} <= ${s(e.high)}${c})`;
    }
    case 'startsWith':
      return `(${s(e.arg)} LIKE ${ctx.param(`${likeEscape(e.prefix)}%`, 'text')})`;
    case 'contains':
      return `(${s(e.arg)} LIKE ${ctx.param(`%${likeEscape(e.text)}%`, 'text')})`;
    case 'dateAdd': {
      const n = `(${s(e.n)})::int4`;
      if (e.unit === 'day') return `(${s(e.arg)} + ${n})`;
      return `(${s(e.arg)} + make_interval(${e.unit === 'month' ? 'months' : 'years'} => ${n}))::date`;
    }
    case 'age': {
      const b = s(e.birth);
      const a = s(e.at);
      const md = (d: string) => `(extract(month from ${d}) * 100 + extract(day from ${d}))`;
      return `(extract(year from ${a})::int8 - extract(year from ${b})::int8 - (CASE WHEN ${md(a)} < ${md(b)} THEN 1 ELSE 0 END))`;
    }
    case 'daysBetween':
      return `(${s(e.to)} - ${s(e.from)})`;
    case 'dateOf':
      return `((${s(e.arg)}) AT TIME ZONE ${SHANGHAI})::date`;
    case 'trunc': {
      const x = s(e.arg);
      const local = typeIn(scope, e.arg).type === 'timestamp' ? `((${x}) AT TIME ZONE ${SHANGHAI})` : `(${x})::timestamp`;
      return `date_trunc('${e.unit}', ${local})::date`;
    }
    case 'arith': {
      // Integers stay integers (÷ truncates); anything else is float8, the evaluator's own arithmetic.
      const t = typeIn(scope, e).type === 'integer' ? 'int8' : 'float8';
      const l = `(${s(e.left)})::${t}`;
      const r = `(${s(e.right)})::${t}`;
      return e.op === '/' ? `(${l} / NULLIF(${r}, 0))` : `(${l} ${e.op} ${r})`;
    }
    case 'agg':
      return aggSql(scope, e);
  }
}

function aggSql(scope: Scope, e: Agg): string {
  const ctx = scope.ctx;
  const plan = resolveAgg(ctx.catalog, scope.source, e);
  const sig = JSON.stringify([e.over ?? null, e.by ?? null, e.where ?? null]);
  let j = ctx.aggs.get(sig);
  if (!j) {
    const alias = ctx.alias('a');
    if (plan.mode === 'related') {
      // Leading "to-one" hops are walked by the outer query (a missing row joins nothing, as an
      // inner join would), so groups are per practitioner rather than per encounter, say. From the
      // first "many" hop on: FROM its table, INNER JOIN along the rest — bag semantics, NULLs never join.
      const lead = plan.hops.findIndex((h) => h.cardinality === 'many');
      const outerAlias = scope.walk(plan.hops.slice(0, lead));
      // A related aggregation has a "many" hop (check.ts), so there is at least one.
      const [first, ...rest] = plan.hops.slice(lead).map((hop) => ({ hop, alias: ctx.alias('r') }));
      if (!first) throw new Error('related aggregation without a "many" hop');
      const parts = [`${quoteIdent(sourceOf(ctx.catalog, first.hop.to).table)} ${first.alias}`];
      let prev = first;
      for (const h of rest) {
        parts.push(
          `JOIN ${quoteIdent(sourceOf(ctx.catalog, h.hop.to).table)} ${h.alias} ON ${col(h.alias, h.hop.toField)} = ${col(prev.alias, h.hop.fromField)}`,
        );
        prev = h;
      }
      const inner = new Scope(ctx, plan.target, prev.alias, true);
      j = {
        alias,
        from: parts.join(' '),
        inner,
        keysInner: [col(first.alias, first.hop.toField)],
        keysOuter: [col(outerAlias, first.hop.fromField)],
        where: null,
        values: new Map(),
        having: [],
      };
    } else {
      const inner = new Scope(ctx, plan.target, ctx.alias('w'), true);
      j = {
        alias,
        from: `${quoteIdent(plan.target.table)} ${inner.alias}`,
        inner,
        keysInner: plan.keys.map((k) => sql(inner, k)),
        keysOuter: plan.keys.map((k) => sql(scope, k)),
        where: null,
        values: new Map(),
        having: [],
      };
    }
    if (e.where) j.where = sql(j.inner, e.where);
    ctx.aggs.set(sig, j);
  }
  const of = e.of ? j.inner.field(e.of) : '*';
  const ofType = e.of ? resolveField(ctx.catalog, j.inner.source, e.of).field.type : undefined;
  let v: string;
  switch (e.fn) {
    case 'count':
      v = `count(${of})`;
      break;
    case 'countDistinct':
      v = `count(DISTINCT ${of})`;
      break;
    case 'sum':
      // numeric sums are exact; integer sums stay integer (sum(int8) would be numeric).
      v = ofType === 'integer' ? `sum(${of})::int8` : `sum(${of})`;
      break;
    default:
      // Code-point order for text, then back to the default collation so `=` against columns still works.
      v = ofType === 'string' ? `(${e.fn}(${of} COLLATE "C") COLLATE "default")` : `${e.fn}(${of})`;
  }
  let name = j.values.get(v);
  if (!name) {
    name = `v${j.values.size}`;
    j.values.set(v, name);
  }
  for (const h of ctx.having.get(e) ?? []) j.having.push(`${v} ${h.op} ${sql(scope, h.value)}`);
  const ref = `${j.alias}.${name}`;
  return e.fn === 'count' || e.fn === 'countDistinct' ? `COALESCE(${ref}, 0)` : ref;
}

function aggJoinSql(j: AggJoin): string {
  const keys = j.keysInner.map((k, i) => `${k} AS k${i}`);
  const vals = [...j.values].map(([v, name]) => `${v} AS ${name}`);
  const conds = j.keysInner.map((k) => `${k} IS NOT NULL`);
  if (j.where) conds.push(j.where);
  const groupBy = j.keysInner.map((_, i) => i + 1).join(', ');
  const on = j.keysOuter.map((k, i) => `${j.alias}.k${i} = ${k}`).join(' AND ');
  const having = j.having.length ? ` HAVING ${j.having.join(' AND ')}` : '';
  return (
    `${j.having.length ? 'JOIN' : 'LEFT JOIN'} (SELECT ${[...keys, ...vals].join(', ')} FROM ${j.from}${j.inner.joins.length ? ` ${j.inner.joins.join(' ')}` : ''}` +
    ` WHERE ${conds.join(' AND ')} GROUP BY ${groupBy}${having}) ${j.alias} ON ${on}`
  );
}

interface Parts {
  ctx: Ctx;
  outer: Scope;
  select: string[];
  fromWhere: string;
}

function build(catalog: Catalog, rule: Rule, opts: RunOptions, withSelect: boolean): Parts {
  assertValidRule(catalog, rule);
  const ctx = new Ctx(catalog, opts.today ?? todayInShanghai());
  const src = sourceOf(catalog, rule.source);
  const outer = new Scope(ctx, src, 't', false);
  ctx.having = havingConditions(catalog, src, rule.when);
  const when = sql(outer, rule.when);
  const select = [`${col('t', src.key)} AS key`];
  if (withSelect) {
    (rule.select ?? []).forEach((s, i) => {
      select.push(`${sql(outer, s.expr)} AS c${i}`);
    });
  }
  const conds = [when];
  if (opts.changedSince !== undefined) {
    if (!src.changedAt) throw new Error(`数据源「${src.title}」未声明变更时间字段，不能增量运行`);
    const since = opts.changedSince instanceof Date ? opts.changedSince.toISOString() : opts.changedSince;
    conds.push(`${col('t', src.changedAt)} > ${ctx.param(since, 'timestamptz')}`);
  }
  const joins = [...outer.joins, ...[...ctx.aggs.values()].map(aggJoinSql)];
  const fromWhere = `FROM ${quoteIdent(src.table)} t${joins.length ? ` ${joins.join(' ')}` : ''} WHERE ${conds.join(' AND ')}`;
  return { ctx, outer, select, fromWhere };
}

/** The query returning `key` (the source's primary key) and `c0…` (the select items) of every hit. */
export function compileRule(catalog: Catalog, rule: Rule, opts: SqlOptions = {}): CompiledRuleSql {
  const p = build(catalog, rule, opts, true);
  let text = `SELECT ${p.select.join(', ')} ${p.fromWhere}`;
  if (opts.limit !== undefined) text += ` ORDER BY 1 LIMIT ${p.ctx.param(opts.limit, 'int8')}`;
  return { ...compiled(p.ctx.fragment(text)), columns: (rule.select ?? []).map((s) => s.name) };
}

/** The query returning one row `{ n }`: the number of hits (rule previews). */
export function compileCount(catalog: Catalog, rule: Rule, opts: RunOptions = {}): CompiledSql {
  const p = build(catalog, rule, opts, false);
  return compiled(p.ctx.fragment(`SELECT count(*)::int8 AS n ${p.fromWhere}`));
}

/** Runs the compiled rule and shapes the rows as hits (same shape as the evaluator's). */
export async function runRuleSql(q: Queryable, catalog: Catalog, rule: Rule, opts: SqlOptions = {}): Promise<Hit[]> {
  const c = compileRule(catalog, rule, opts);
  const rows = await q.query<Record<string, unknown>>(c.sql);
  return rows.map((r) => {
    const values: Record<string, unknown> = {};
    c.columns.forEach((name, i) => {
      values[name] = r[`c${i}`];
    });
    return { key: r.key as string | number, values };
  });
}

export async function countRuleSql(q: Queryable, catalog: Catalog, rule: Rule, opts: RunOptions = {}): Promise<number> {
  const c = compileCount(catalog, rule, opts);
  const [row] = await q.query<{ n: number | string }>(c.sql);
  return Number(row?.n ?? 0);
}
