/**
 * The one in-memory evaluator. A rule is turned once into a tree of closures (no tree walk per row),
 * then run over a dataset (previews, tests) or one record with its related rows (single-record checks).
 * Its meaning is the SQL compiler's, value for value — see the semantics in ast.ts; agreement.test.ts
 * holds the two together. Internally dates are day numbers, timestamps epoch ms, NULL is null, and a
 * condition is true / false / null (unknown).
 */
import type { Agg, Expr, FieldRef, Hit, Rule, RunOptions } from './ast.ts';
import { type Catalog, type Field, type Relation, type Source, sourceOf, type ValueType } from './catalog.ts';
import { assertValidRule, resolveAgg, resolveField, typeOf } from './check.ts';
import { addMonths, ageYears, dateDay, formatDate, parseDate, shanghaiDay, timestampMs, truncMonth, truncYear } from './dates.ts';

export type Row = Record<string, unknown>;
/** Rows per catalog source name, keyed by catalog field names. */
export type Dataset = Record<string, readonly Row[]>;

export interface OneResult {
  /** true: a hit; false: not; null: unknown (e.g. a needed field is empty). */
  result: boolean | null;
  values: Record<string, unknown>;
}

export interface CompiledEvaluator {
  readonly rule: Rule;
  /** Hits among the rows of the rule's source, in dataset order. */
  run(data: Dataset, opts?: RunOptions): Hit[];
  /** Judges one record; `related` holds the rows its paths and aggregations reach. */
  one(record: Row, related?: Dataset, opts?: RunOptions): OneResult;
}

type V = unknown;
type Fn = (row: Row, env: Env) => V;

/** Per-dataset state: lazily built indexes for relation walks and aggregation results. */
class Env {
  // Created on first use: most single-record checks walk no relation and aggregate nothing.
  private indexes?: Map<string, Map<V, Row[]>>;
  private memos?: Map<object, unknown>;
  constructor(
    readonly data: Dataset,
    readonly today: number,
    /** evaluateOne's record: it stands among its source's rows, replacing a row with the same key. */
    private readonly extra?: { source: string; row: Row; key: string },
  ) {}

  rows(source: string): readonly Row[] {
    const rows = this.data[source] ?? [];
    const x = this.extra;
    if (x?.source !== source || rows.includes(x.row)) return rows;
    const k = x.row[x.key];
    return [...rows.filter((r) => r[x.key] !== k || k == null), x.row];
  }

  /** Per-dataset results of one aggregation (keyed by its compiled plan). */
  get memo(): Map<object, unknown> {
    this.memos ??= new Map();
    return this.memos;
  }

  /** Rows of `source` by the (converted) value of `field`. */
  index(source: string, field: Field): Map<V, Row[]> {
    const id = `${source}\u0000${field.name}`;
    this.indexes ??= new Map();
    let m = this.indexes.get(id);
    if (!m) {
      m = new Map();
      const conv = converter(field.type);
      for (const r of this.rows(source)) {
        const v = conv(r[field.name]);
        if (v === null) continue;
        const list = m.get(v);
        if (list) list.push(r);
        else m.set(v, [r]);
      }
      this.indexes.set(id, m);
    }
    return m;
  }
}

/** Raw value (as the database driver returns it, or as JSON) → internal value. */
function converter(t: ValueType): (v: unknown) => V {
  switch (t) {
    case 'date':
      return (v) => (v == null ? null : typeof v === 'string' ? parseDate(v) : dateDay(v));
    case 'timestamp':
      return (v) => (v == null ? null : timestampMs(v));
    case 'integer':
    case 'number':
      return (v) => (v == null ? null : typeof v === 'number' ? v : Number(v));
    case 'boolean':
      return (v) => (v == null ? null : typeof v === 'boolean' ? v : v === 't' || v === 'true');
    default:
      return (v) => (v == null ? null : typeof v === 'string' ? v : String(v));
  }
}

/** Internal value → the shape the SQL path returns (dates 'YYYY-MM-DD', timestamps Date). */
function externalizer(t: ValueType): (v: V) => unknown {
  if (t === 'date') return (v) => (v === null ? null : formatDate(v as number));
  if (t === 'timestamp') return (v) => (v === null ? null : new Date(v as number));
  return (v) => v;
}

/** Code-point order (as COLLATE "C" on UTF-8), not UTF-16 code-unit order. */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF, i.e. code points ≥ U+10000) sort after U+E000–FFFF.
    if (x >= 0xd800) x = x <= 0xdfff ? x + 0x2000 : x - 0x800;
    if (y >= 0xd800) y = y <= 0xdfff ? y + 0x2000 : y - 0x800;
    return x - y;
  }
  return a.length - b.length;
}

type Ord = (a: V, b: V) => boolean;

function ordering(t: ValueType, op: string): Ord {
  if (t === 'string' || t === 'code') {
    switch (op) {
      case '=':
        return (a, b) => a === b;
      case '<>':
        return (a, b) => a !== b;
      case '<':
        return (a, b) => compareText(a as string, b as string) < 0;
      case '<=':
        return (a, b) => compareText(a as string, b as string) <= 0;
      case '>':
        return (a, b) => compareText(a as string, b as string) > 0;
      default:
        return (a, b) => compareText(a as string, b as string) >= 0;
    }
  }
  switch (op) {
    case '=':
      return (a, b) => a === b;
    case '<>':
      return (a, b) => a !== b;
    case '<':
      return (a, b) => (a as number) < (b as number);
    case '<=':
      return (a, b) => (a as number) <= (b as number);
    case '>':
      return (a, b) => (a as number) > (b as number);
    default:
      return (a, b) => (a as number) >= (b as number);
  }
}

/** A comparison under three-valued logic. */
function compare(l: Fn, r: Fn, ord: Ord): Fn {
  return (row, env) => {
    const a = l(row, env);
    if (a === null) return null;
    const b = r(row, env);
    if (b === null) return null;
    return ord(a, b);
  };
}

class Compiler {
  constructor(readonly catalog: Catalog) {}

  /** Reads a field, walking "to-one" relations through the dataset indexes. */
  field(source: Source, ref: FieldRef): Fn {
    const { field, hops } = resolveField(this.catalog, source, ref);
    const name = field.name;
    const conv = converter(field.type);
    if (hops.length === 0) return (row) => conv(row[name]);
    const reach = this.walker(hops);
    return (row, env) => {
      const r = reach(row, env);
      return r === null ? null : conv(r[name]);
    };
  }

  /** The row reached along "to-one" relations, or null when a link is empty or dangling. */
  walker(hops: readonly Relation[]): (row: Row, env: Env) => Row | null {
    if (hops.length === 0) return (row) => row;
    const steps = hops.map((h) => ({ from: h.fromField.name, read: converter(h.fromField.type), to: h.to, toField: h.toField }));
    return (row, env) => {
      let r: Row = row;
      for (const s of steps) {
        const v = s.read(r[s.from]);
        if (v === null) return null;
        const list = env.index(s.to, s.toField).get(v);
        if (!list) return null;
        r = list[0]!; // index lists are never empty
      }
      return r;
    };
  }

  expr(source: Source, e: Expr, inAgg = false): Fn {
    const c = (x: Expr) => this.expr(source, x, inAgg);
    const type = (x: Expr) => typeOf(this.catalog, source, x, inAgg).type;
    switch (e.kind) {
      case 'lit': {
        const v = converter(type(e))(e.value);
        return () => v;
      }
      case 'field':
        return this.field(source, e);
      case 'today':
        return (_row, env) => env.today;
      case 'cmp':
        return compare(c(e.left), c(e.right), ordering(type(e.left), e.op));
      case 'and': {
        const fs = e.args.map(c);
        return (row, env) => {
          let unknown = false;
          for (const f of fs) {
            const v = f(row, env);
            if (v === false) return false;
            if (v === null) unknown = true;
          }
          return unknown ? null : true;
        };
      }
      case 'or': {
        const fs = e.args.map(c);
        return (row, env) => {
          let unknown = false;
          for (const f of fs) {
            const v = f(row, env);
            if (v === true) return true;
            if (v === null) unknown = true;
          }
          return unknown ? null : false;
        };
      }
      case 'not': {
        const f = c(e.arg);
        return (row, env) => {
          const v = f(row, env);
          return v === null ? null : !v;
        };
      }
      case 'isNull': {
        const f = c(e.arg);
        return (row, env) => f(row, env) === null;
      }
      case 'in': {
        const f = c(e.arg);
        const conv = converter(type(e.arg));
        const set = new Set(e.values.map(conv));
        return (row, env) => {
          const v = f(row, env);
          return v === null ? null : set.has(v);
        };
      }
      case 'between': {
        // x >= low AND x <= high, each under three-valued logic.
        const t = type(e.arg);
        const ge = compare(c(e.arg), c(e.low), ordering(t, '>='));
        const le = compare(c(e.arg), c(e.high), ordering(t, '<='));
        return (row, env) => {
          const a = ge(row, env);
          if (a === false) return false;
          const b = le(row, env);
          if (b === false) return false;
          return a === null || b === null ? null : true;
        };
      }
      case 'startsWith': {
        const f = c(e.arg);
        const p = e.prefix;
        return (row, env) => {
          const v = f(row, env);
          return v === null ? null : (v as string).startsWith(p);
        };
      }
      case 'contains': {
        const f = c(e.arg);
        const p = e.text;
        return (row, env) => {
          const v = f(row, env);
          return v === null ? null : (v as string).includes(p);
        };
      }
      case 'dateAdd': {
        const d = c(e.arg);
        const n = c(e.n);
        const unit = e.unit;
        return (row, env) => {
          const a = d(row, env);
          if (a === null) return null;
          const k = n(row, env);
          if (k === null) return null;
          if (unit === 'day') return (a as number) + (k as number);
          return addMonths(a as number, unit === 'month' ? (k as number) : (k as number) * 12);
        };
      }
      case 'age': {
        const b = c(e.birth);
        const a = c(e.at);
        return (row, env) => {
          const x = b(row, env);
          if (x === null) return null;
          const y = a(row, env);
          return y === null ? null : ageYears(x as number, y as number);
        };
      }
      case 'daysBetween': {
        const from = c(e.from);
        const to = c(e.to);
        return (row, env) => {
          const x = from(row, env);
          if (x === null) return null;
          const y = to(row, env);
          return y === null ? null : (y as number) - (x as number);
        };
      }
      case 'dateOf': {
        const f = c(e.arg);
        return (row, env) => {
          const v = f(row, env);
          return v === null ? null : shanghaiDay(v as number);
        };
      }
      case 'trunc': {
        const f = c(e.arg);
        const ts = type(e.arg) === 'timestamp';
        const tr = e.unit === 'month' ? truncMonth : truncYear;
        return (row, env) => {
          const v = f(row, env);
          if (v === null) return null;
          return tr(ts ? shanghaiDay(v as number) : (v as number));
        };
      }
      case 'arith':
        return this.arith(c(e.left), c(e.right), e.op, type(e) === 'integer');
      case 'agg':
        return this.agg(source, e);
    }
  }

  arith(l: Fn, r: Fn, op: string, integer: boolean): Fn {
    // `+ 0` turns -0 into 0: PostgreSQL integers have no negative zero (float8 keeps it, as JS does).
    let f: (a: number, b: number) => number | null;
    if (op === '+') f = (a, b) => a + b;
    else if (op === '-') f = (a, b) => a - b;
    else if (op === '*') f = integer ? (a, b) => a * b + 0 : (a, b) => a * b;
    else if (integer) f = (a, b) => (b === 0 ? null : Math.trunc(a / b) + 0);
    else f = (a, b) => (b === 0 ? null : a / b);
    return (row, env) => {
      const a = l(row, env);
      if (a === null) return null;
      const b = r(row, env);
      return b === null ? null : f(a as number, b as number);
    };
  }

  agg(source: Source, e: Agg): Fn {
    const plan = resolveAgg(this.catalog, source, e);
    const target = plan.target;
    const where = e.where ? this.expr(target, e.where, true) : undefined;
    const of = e.of ? this.field(target, e.of) : undefined;
    const ofField = e.of ? resolveField(this.catalog, target, e.of).field : undefined;
    const newAcc = accumulator(e.fn, ofField);
    const empty = e.fn === 'count' || e.fn === 'countDistinct' ? 0 : null;
    const feed = (acc: Acc, r: Row, env: Env) => {
      if (where && where(r, env) !== true) return;
      acc.add(of ? of(r, env) : 1);
    };

    if (plan.mode === 'window') {
      const keys = plan.keys.map((k) => this.expr(source, k, true));
      const groupKey: Fn =
        keys.length === 1
          ? keys[0]!
          : (row, env) => {
              const parts: V[] = [];
              for (const k of keys) {
                const v = k(row, env);
                if (v === null) return null;
                parts.push(v);
              }
              return JSON.stringify(parts);
            };
      const memoKey = {};
      const groups = (env: Env) => {
        let m = env.memo.get(memoKey) as Map<V, V> | undefined;
        if (!m) {
          const accs = new Map<V, Acc>();
          for (const r of env.rows(target.name)) {
            const k = groupKey(r, env);
            if (k === null) continue;
            let acc = accs.get(k);
            if (!acc) accs.set(k, (acc = newAcc()));
            feed(acc, r, env);
          }
          m = new Map();
          for (const [k, acc] of accs) m.set(k, acc.result());
          env.memo.set(memoKey, m);
        }
        return m;
      };
      return (row, env) => {
        const k = groupKey(row, env);
        if (k === null) return empty;
        const v = groups(env).get(k);
        return v === undefined ? empty : v;
      };
    }

    // Related rows: leading "to-one" hops reach one row (as field refs do); from the first "many" hop
    // on, walk every path (inner joins, bag semantics), memoised per value of that hop's join field.
    const lead = plan.hops.findIndex((h) => h.cardinality === 'many');
    const reach = this.walker(plan.hops.slice(0, lead));
    const steps = plan.hops.slice(lead).map((h: Relation) => ({ to: h.to, toField: h.toField, from: h.fromField.name, read: converter(h.fromField.type) }));
    const first = steps[0]!;
    const memoKey = {};
    const walk = (acc: Acc, level: number, rows: readonly Row[], env: Env) => {
      if (level === steps.length - 1) {
        for (const r of rows) feed(acc, r, env);
        return;
      }
      const next = steps[level + 1]!;
      for (const r of rows) {
        const v = next.read(r[next.from]);
        if (v === null) continue;
        const more = env.index(next.to, next.toField).get(v);
        if (more) walk(acc, level + 1, more, env);
      }
    };
    return (row, env) => {
      const start = reach(row, env);
      if (start === null) return empty;
      const v = first.read(start[first.from]);
      if (v === null) return empty;
      let memo = env.memo.get(memoKey) as Map<V, V> | undefined;
      if (!memo) env.memo.set(memoKey, (memo = new Map()));
      let out = memo.get(v);
      if (out === undefined) {
        const acc = newAcc();
        const rows = env.index(first.to, first.toField).get(v);
        if (rows) walk(acc, 0, rows, env);
        out = acc.result();
        memo.set(v, out);
      }
      return out;
    };
  }
}

interface Acc {
  add(v: V): void;
  result(): V;
}

/** Accumulators with SQL's meaning: NULLs are skipped; empty sum/min/max is NULL; number sums are exact. */
function accumulator(fn: Agg['fn'], of: Field | undefined): () => Acc {
  switch (fn) {
    case 'count':
      return () => {
        let n = 0;
        return { add: (v) => void (v !== null && n++), result: () => n };
      };
    case 'countDistinct':
      return () => {
        const s = new Set<V>();
        return { add: (v) => void (v !== null && s.add(v)), result: () => s.size };
      };
    case 'sum': {
      // Scaled integers: a numeric(p, s) sum is exact in PostgreSQL, so it must be here too.
      const f = of!.type === 'number' ? 10 ** of!.scale : 1;
      return () => {
        let total = 0;
        let any = false;
        return {
          add: (v) => {
            if (v === null) return;
            any = true;
            total += f === 1 ? (v as number) : Math.round((v as number) * f);
          },
          result: () => (any ? total / f + 0 : null),
        };
      };
    }
    default: {
      const text = of!.type === 'string';
      const better =
        fn === 'min'
          ? text
            ? (a: V, b: V) => compareText(a as string, b as string) < 0
            : (a: V, b: V) => (a as number) < (b as number)
          : text
            ? (a: V, b: V) => compareText(a as string, b as string) > 0
            : (a: V, b: V) => (a as number) > (b as number);
      return () => {
        let best: V = null;
        return {
          add: (v) => {
            if (v !== null && (best === null || better(v, best))) best = v;
          },
          result: () => best,
        };
      };
    }
  }
}

/** Compiles a rule once; run/one may then be called many times. Treat the rule as immutable. */
export function compileEvaluator(catalog: Catalog, rule: Rule): CompiledEvaluator {
  assertValidRule(catalog, rule);
  const c = new Compiler(catalog);
  const src = sourceOf(catalog, rule.source);
  const when = c.expr(src, rule.when);
  const select = (rule.select ?? []).map((s) => ({
    name: s.name,
    fn: c.expr(src, s.expr),
    out: externalizer(typeOf(catalog, src, s.expr).type),
  }));
  const keyName = src.key.name;
  const keyConv = converter(src.key.type);
  const changed = src.changedAt;
  const changedConv = converter('timestamp');
  const values = (row: Row, env: Env) => {
    const out: Record<string, unknown> = {};
    for (const s of select) out[s.name] = s.out(s.fn(row, env));
    return out;
  };
  // `one` runs per record on hot paths: parse a given reference date once, not on every call.
  let parsedFor: string | undefined;
  let parsedDay = 0;
  const today = (opts: RunOptions) => {
    if (opts.today === undefined) return shanghaiDay(Date.now());
    if (opts.today !== parsedFor) {
      parsedDay = parseDate(opts.today);
      parsedFor = opts.today;
    }
    return parsedDay;
  };
  return {
    rule,
    run(data, opts = {}) {
      const env = new Env(data, today(opts));
      let since: number | undefined;
      if (opts.changedSince !== undefined) {
        if (!changed) throw new Error(`数据源「${src.title}」未声明变更时间字段，不能增量运行`);
        since = timestampMs(opts.changedSince);
      }
      const hits: Hit[] = [];
      for (const row of data[src.name] ?? []) {
        if (since !== undefined) {
          const t = changedConv(row[changed!.name]);
          if (t === null || (t as number) <= since) continue;
        }
        if (when(row, env) === true) hits.push({ key: keyConv(row[keyName]) as string | number, values: values(row, env) });
      }
      return hits;
    },
    one(record, related = {}, opts = {}) {
      const env = new Env(related, today(opts), { source: src.name, row: record, key: keyName });
      const result = when(record, env) as boolean | null;
      return { result, values: values(record, env) };
    },
  };
}

const cache = new WeakMap<Catalog, WeakMap<Rule, CompiledEvaluator>>();

function cached(catalog: Catalog, rule: Rule): CompiledEvaluator {
  let m = cache.get(catalog);
  if (!m) cache.set(catalog, (m = new WeakMap()));
  let ev = m.get(rule);
  if (!ev) m.set(rule, (ev = compileEvaluator(catalog, rule)));
  return ev;
}

/** Hits of the rule over an in-memory dataset (compiled once per rule object). */
export function evaluate(catalog: Catalog, rule: Rule, data: Dataset, opts?: RunOptions): Hit[] {
  return cached(catalog, rule).run(data, opts);
}

/** Judges one record of the rule's source; `related` holds rows reached by its paths and aggregations. */
export function evaluateOne(catalog: Catalog, rule: Rule, record: Row, related?: Dataset, opts?: RunOptions): OneResult {
  return cached(catalog, rule).one(record, related, opts);
}
