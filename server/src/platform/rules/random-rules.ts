/**
 * Seeded random rules and datasets for any catalog, for the SQL/evaluator agreement test (and for a
 * module that wants to run it over its own catalog). Values come from small pools full of edge cases —
 * NULLs, ties, month ends, 29 February, instants either side of midnight in Shanghai, text that sorts
 * differently by code unit and by code point, LIKE metacharacters — so that equal values, empty
 * windows and unknown conditions actually happen.
 */
import type { Agg, AggFn, CompareOp, DateUnit, Expr, FieldRef, Rule, SelectItem } from './ast.ts';
import type { Catalog, Field, Relation, Source, ValueType } from './catalog.ts';
import type { Dataset, Row } from './evaluate.ts';

/** The subset of world/rng.ts's Rng used here. */
export interface Random {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export const POOLS = {
  integer: [-2, -1, 0, 1, 2, 3, 5, 10, 100],
  number: [0, 0.1, 0.2, 0.3, 1, 2.5, -1.5, 12.34, 100, 4999.99, 5000, 5000.01],
  date: [
    '2024-01-31',
    '2024-02-28',
    '2024-02-29',
    '2024-03-01',
    '2023-02-28',
    '2023-03-31',
    '2024-12-31',
    '2025-01-01',
    '2000-02-29',
    '1959-06-30',
    '1940-02-29',
    '2021-06-15',
  ],
  timestamp: [
    '2024-02-29T15:59:59.999Z',
    '2024-02-29T16:00:00.000Z',
    '2024-01-31T00:00:00.000Z',
    '2023-12-31T16:00:00.000Z',
    '2024-06-30T23:59:59.000Z',
    '2024-03-01T02:30:00.000Z',
  ],
  // U+FF5A 'ｚ' and U+E000 sort before '😀' and '𠀀' (surrogate pairs) by code point, after them by code unit.
  string: ['', 'a', 'A', 'ab', 'b', '中', '中文', '😀', 'ｚ', '\uE000', '𠀀', 'a😀', 'aｚ', 'a%', 'a_b', 'x\\y', ' a'],
  affix: ['', 'a', 'A', '中', 'a%', 'a_', '_', '%', '\\', 'b', '😀'],
};

const TODAYS = ['2024-06-30', '2024-02-29', '2025-03-01'];
const ORDERED_TYPES: ValueType[] = ['integer', 'number', 'date', 'timestamp', 'string'];
const CMP_OPS: CompareOp[] = ['=', '<>', '<', '<=', '>', '>='];

interface Reach {
  path: string[];
  field: Field;
}

export class RuleGenerator {
  private readonly reach = new Map<string, Reach[]>();
  private readonly manyPaths = new Map<string, string[][]>();
  private n = 0;

  constructor(
    readonly catalog: Catalog,
    readonly rng: Random,
  ) {
    for (const s of catalog.sources.values()) {
      const fields: Reach[] = [];
      const many: string[][] = [];
      const visit = (src: Source, path: string[], depth: number, sawMany: boolean) => {
        if (!sawMany) for (const f of src.fields.values()) fields.push({ path, field: f });
        if (sawMany) many.push(path);
        if (depth === 2) return;
        for (const r of src.relations.values()) {
          if (sawMany && r.cardinality === 'many') continue;
          visit(catalog.sources.get(r.to)!, [...path, r.name], depth + 1, sawMany || r.cardinality === 'many');
        }
      };
      visit(s, [], 0, false);
      this.reach.set(s.name, fields);
      this.manyPaths.set(s.name, many);
    }
  }

  private fieldsOf(src: Source, t?: ValueType): Reach[] {
    const all = this.reach.get(src.name)!;
    return t ? all.filter((r) => r.field.type === t) : all;
  }

  private ref(r: Reach): FieldRef {
    return r.path.length ? { kind: 'field', path: r.path, name: r.field.name } : { kind: 'field', name: r.field.name };
  }

  private literal(t: ValueType, field?: Field): Expr {
    if (this.rng.chance(0.05)) return { kind: 'lit', value: null, type: t };
    switch (t) {
      case 'boolean':
        return { kind: 'lit', value: this.rng.chance(0.5), type: t };
      case 'code':
        return { kind: 'lit', value: this.code(field), type: t };
      default:
        return { kind: 'lit', value: this.rng.pick(POOLS[t] as readonly (string | number)[]), type: t };
    }
  }

  private code(field?: Field): string {
    const codes = field?.codeList?.codes;
    return codes ? this.rng.pick(Object.keys(codes)) : this.rng.pick(POOLS.string);
  }

  /** A field, a constant, or a computed value of type t. */
  expr(src: Source, t: ValueType, depth: number, inAgg: boolean): Expr {
    const fields = this.fieldsOf(src, t);
    const leaf = (): Expr => (fields.length && this.rng.chance(0.7) ? this.ref(this.rng.pick(fields)) : this.literal(t, fields[0]?.field));
    if (depth <= 0 || this.rng.chance(0.35)) return leaf();
    const d = depth - 1;
    const options: (() => Expr | undefined)[] = [leaf];
    if (!inAgg && t !== 'boolean' && t !== 'code') options.push(() => this.agg(src, t, d));
    switch (t) {
      case 'boolean':
        return this.bool(src, depth, inAgg);
      case 'integer':
        options.push(
          () => this.arith(src, 'integer', d, inAgg),
          () => ({ kind: 'age', birth: this.expr(src, 'date', d, inAgg), at: this.rng.chance(0.5) ? { kind: 'today' } : this.expr(src, 'date', d, inAgg) }),
          () => ({ kind: 'daysBetween', from: this.expr(src, 'date', d, inAgg), to: this.expr(src, 'date', d, inAgg) }),
        );
        break;
      case 'number':
        options.push(() => this.arith(src, 'number', d, inAgg));
        break;
      case 'date':
        options.push(
          () => ({ kind: 'today' }),
          () => ({ kind: 'dateAdd', arg: this.expr(src, 'date', d, inAgg), n: this.small(src), unit: this.rng.pick<DateUnit>(['day', 'month', 'year']) }),
          () => ({ kind: 'dateOf', arg: this.expr(src, 'timestamp', d, inAgg) }),
          () => ({
            kind: 'trunc',
            arg: this.expr(src, this.rng.pick<ValueType>(['date', 'timestamp']), d, inAgg),
            unit: this.rng.pick(['month', 'year'] as const),
          }),
        );
        break;
    }
    for (let i = 0; i < 4; i++) {
      const e = this.rng.pick(options)();
      if (e) return e;
    }
    return leaf();
  }

  /** A small integer for date arithmetic (keeps dates inside 0001–9999). */
  private small(src: Source): Expr {
    const ints = this.fieldsOf(src, 'integer').filter((r) => !r.field.name.endsWith('id'));
    if (ints.length && this.rng.chance(0.4)) return this.ref(this.rng.pick(ints));
    return { kind: 'lit', value: this.rng.int(-25, 25), type: 'integer' };
  }

  /** Arithmetic; × only of plain fields and constants so integers stay far below 2^53. */
  private arith(src: Source, t: 'integer' | 'number', d: number, inAgg: boolean): Expr {
    const op = this.rng.pick(['+', '-', '*', '/'] as const);
    const side = (tt: ValueType) => (op === '*' ? this.expr(src, tt, 0, inAgg) : this.expr(src, tt, Math.min(d, 1), inAgg));
    const lt: ValueType = t === 'integer' ? 'integer' : this.rng.pick(['number', 'integer', 'number']);
    const rt: ValueType = t === 'integer' || lt === 'integer' ? (t === 'integer' ? 'integer' : 'number') : this.rng.pick(['number', 'integer']);
    return { kind: 'arith', op, left: side(lt), right: side(rt) };
  }

  private agg(src: Source, t: ValueType, d: number): Agg | undefined {
    let fn: AggFn;
    if (t === 'integer') fn = this.rng.pick<AggFn>(['count', 'count', 'countDistinct', 'sum', 'min', 'max']);
    else if (t === 'number') fn = this.rng.pick<AggFn>(['sum', 'min', 'max']);
    else fn = this.rng.pick<AggFn>(['min', 'max']);
    const many = this.manyPaths.get(src.name)!;
    const a: Agg = { kind: 'agg', fn };
    let target = src;
    if (many.length && this.rng.chance(0.5)) {
      a.over = this.rng.pick(many);
      for (const name of a.over) target = this.catalog.sources.get(target.relations.get(name)!.to)!;
    } else {
      const keys: (() => Expr)[] = this.fieldsOf(src).map((r) => () => this.ref(r));
      for (const r of this.fieldsOf(src, 'timestamp')) keys.push(() => ({ kind: 'dateOf', arg: this.ref(r) }));
      for (const r of [...this.fieldsOf(src, 'date'), ...this.fieldsOf(src, 'timestamp')]) {
        keys.push(() => ({ kind: 'trunc', arg: this.ref(r), unit: this.rng.pick(['month', 'year'] as const) }));
      }
      const tryKey = () => this.rng.pick(keys)();
      a.by = this.rng.chance(0.5) ? [tryKey()] : [tryKey(), tryKey()];
    }
    const countLike = fn === 'count' || fn === 'countDistinct';
    const ofCandidates = countLike ? this.fieldsOf(target) : this.fieldsOf(target, t);
    if (ofCandidates.length === 0) {
      if (!countLike) return undefined;
    } else if (fn !== 'count' || this.rng.chance(0.3)) a.of = this.ref(this.rng.pick(ofCandidates));
    if (fn === 'countDistinct' && !a.of) return undefined;
    if (this.rng.chance(0.6)) a.where = this.bool(target, Math.min(d, 2), true);
    return a;
  }

  /** A condition. */
  bool(src: Source, depth: number, inAgg: boolean): Expr {
    const d = depth - 1;
    const bools = this.fieldsOf(src, 'boolean');
    const choices: (() => Expr)[] = [
      () => this.compare(src, Math.max(d, 0), inAgg),
      () => this.compare(src, Math.max(d, 0), inAgg),
      () => this.member(src, Math.max(d, 0), inAgg),
      () => {
        const t = this.rng.pick(ORDERED_TYPES);
        return { kind: 'between', arg: this.expr(src, t, Math.max(d, 0), inAgg), low: this.expr(src, t, 0, inAgg), high: this.expr(src, t, 0, inAgg) };
      },
      () => ({
        kind: 'isNull',
        arg: this.expr(src, this.rng.pick<ValueType>(['integer', 'number', 'date', 'string', 'code', 'timestamp', 'boolean']), Math.max(d, 0), inAgg),
      }),
      () => {
        const arg = this.expr(src, this.rng.pick<ValueType>(['string', 'code', 'string']), Math.max(d, 0), inAgg);
        const s = this.rng.pick(POOLS.affix);
        return this.rng.chance(0.5) ? { kind: 'startsWith', arg, prefix: s } : { kind: 'contains', arg, text: s };
      },
    ];
    if (bools.length) choices.push(() => this.ref(this.rng.pick(bools)));
    if (!inAgg)
      choices.push(
        () => this.aggCompare(src, Math.max(d, 1)),
        () => this.aggCompare(src, Math.max(d, 1)),
      );
    if (depth > 0) {
      choices.push(
        () => ({ kind: 'and', args: Array.from({ length: this.rng.int(2, 3) }, () => this.bool(src, d, inAgg)) }),
        () => ({ kind: 'or', args: Array.from({ length: this.rng.int(2, 3) }, () => this.bool(src, d, inAgg)) }),
        () => ({ kind: 'not', arg: this.bool(src, d, inAgg) }),
      );
    }
    return this.rng.pick(choices)();
  }

  /** "count of … > 2": an aggregate against a small constant (so that both outcomes happen) or a value. */
  private aggCompare(src: Source, d: number): Expr {
    const t = this.rng.pick<ValueType>(['integer', 'integer', 'integer', 'number', 'date', 'string']);
    const a = this.agg(src, t, d);
    if (!a) return this.compare(src, d, false);
    const ordered = t !== 'string' || this.rng.chance(0.5);
    const op = ordered ? this.rng.pick(CMP_OPS) : this.rng.pick<CompareOp>(['=', '<>']);
    const right: Expr = t === 'integer' && this.rng.chance(0.7) ? { kind: 'lit', value: this.rng.int(0, 3), type: 'integer' } : this.expr(src, t, d - 1, false);
    return this.rng.chance(0.2) ? { kind: 'cmp', op, left: right, right: a } : { kind: 'cmp', op, left: a, right };
  }

  /** `in`: a code field against codes of its own list, or any value against pool constants. */
  private member(src: Source, d: number, inAgg: boolean): Expr {
    const t = this.rng.pick<ValueType>(['integer', 'string', 'code', 'date', 'number', 'boolean']);
    const n = this.rng.int(1, 3);
    if (t === 'code') {
      const codes = this.fieldsOf(src, 'code');
      if (codes.length === 0) return this.compare(src, d, inAgg);
      const f = this.rng.pick(codes);
      return { kind: 'in', arg: this.ref(f), values: Array.from({ length: n }, () => this.code(f.field)) };
    }
    const values = Array.from({ length: n }, () => (t === 'boolean' ? this.rng.chance(0.5) : this.rng.pick(POOLS[t] as readonly (string | number)[])));
    return { kind: 'in', arg: this.expr(src, t, d, inAgg), values };
  }

  private compare(src: Source, d: number, inAgg: boolean): Expr {
    const t = this.rng.pick<ValueType>(['integer', 'number', 'date', 'timestamp', 'string', 'code', 'boolean', 'integer', 'date']);
    const ordered = t !== 'code' && t !== 'boolean';
    const op = ordered ? this.rng.pick(CMP_OPS) : this.rng.pick<CompareOp>(['=', '<>']);
    if (t === 'code') {
      // Both sides from the same code list: a code field against its own codes or a same-list field.
      const codes = this.fieldsOf(src, 'code');
      if (codes.length === 0) return this.compare(src, d, inAgg);
      const f = this.rng.pick(codes);
      const same = codes.filter((r) => r.field.codeList === f.field.codeList);
      const right: Expr = this.rng.chance(0.7) ? this.literal('code', f.field) : this.ref(this.rng.pick(same));
      return { kind: 'cmp', op, left: this.ref(f), right };
    }
    const rt = t === 'integer' && this.rng.chance(0.3) ? 'number' : t === 'number' && this.rng.chance(0.3) ? 'integer' : t;
    return { kind: 'cmp', op, left: this.expr(src, t, d, inAgg), right: this.expr(src, rt, d, inAgg) };
  }

  rule(): Rule {
    const src = this.rng.pick([...this.catalog.sources.values()]);
    const select: SelectItem[] = [];
    const k = this.rng.int(0, 2);
    for (let i = 0; i < k; i++) {
      const t = this.rng.pick<ValueType>(['integer', 'number', 'date', 'timestamp', 'string', 'boolean']);
      // Selected aggregates show sums and text min/max to the last bit, not just through a comparison.
      const agg = t !== 'boolean' && this.rng.chance(0.5) ? this.agg(src, t, 1) : undefined;
      select.push({ name: `s${i}`, expr: agg ?? this.expr(src, t, 2, false) });
    }
    const r: Rule = { id: `random-${++this.n}`, version: 1, source: src.name, title: `随机规则 ${this.n}`, when: this.bool(src, 3, false) };
    if (select.length) r.select = select;
    return r;
  }

  today(): string {
    return this.rng.pick(TODAYS);
  }
}

/** Random rows for every source; "to-one" join fields mostly point at existing rows, some dangle or are NULL. */
export function randomDataset(catalog: Catalog, rng: Random, sizes: Record<string, number>): Dataset {
  const keys = new Map<string, (string | number)[]>();
  for (const s of catalog.sources.values()) {
    const n = sizes[s.name] ?? 10;
    keys.set(
      s.name,
      Array.from({ length: n }, (_, i) => (s.key.type === 'integer' ? i + 1 : `K${i + 1}`)),
    );
  }
  const fk = new Map<string, Relation>();
  for (const s of catalog.sources.values()) {
    for (const r of s.relations.values()) if (r.cardinality === 'one' && r.fromField !== s.key) fk.set(`${s.name}.${r.fromField.name}`, r);
  }
  const data: Dataset = {};
  for (const s of catalog.sources.values()) {
    const rows: Row[] = [];
    for (const key of keys.get(s.name)!) {
      const row: Row = {};
      for (const f of s.fields.values()) {
        if (f === s.key) {
          row[f.name] = key;
          continue;
        }
        const rel = fk.get(`${s.name}.${f.name}`);
        if (rel) {
          const x = rng.next();
          const targets = keys.get(rel.to)!;
          row[f.name] = x < 0.1 ? null : x < 0.18 ? (f.type === 'integer' ? 999 : 'K999') : rng.pick(targets);
          continue;
        }
        row[f.name] = rng.chance(0.12) ? null : randomValue(f, rng);
      }
      rows.push(row);
    }
    data[s.name] = rows;
  }
  return data;
}

function randomValue(f: Field, rng: Random): unknown {
  switch (f.type) {
    case 'boolean':
      return rng.chance(0.5);
    case 'code': {
      const codes = f.codeList?.codes ? Object.keys(f.codeList.codes) : [];
      return codes.length && rng.chance(0.9) ? rng.pick(codes) : rng.pick(['ZZ', 'a', '']);
    }
    case 'number': {
      const v = rng.pick(POOLS.number);
      return Math.round(v * 10 ** f.scale) / 10 ** f.scale;
    }
    default:
      return rng.pick(POOLS[f.type] as readonly unknown[]);
  }
}
