/**
 * Small constructors for rule trees written in code (module rules, tests, the document extractor):
 * `gt(count({ by: [ref('encounter.person_id'), ref('fee_date')] }), 2)`. Plain numbers and booleans
 * become literals; strings never do implicitly (a string could be a field) — use lit() or ref().
 */
import type { Agg, AggFn, ArithOp, CompareOp, DateUnit, Expr, FieldRef, Lit, Rule, SelectItem, ValueType } from './ast.ts';

export type Operand = Expr | number | boolean;

function ex(x: Operand): Expr {
  return typeof x === 'number' || typeof x === 'boolean' ? { kind: 'lit', value: x } : x;
}

/** A field by dotted path: 'item_code', 'encounter.person.birth_date'. */
export function ref(dotted: string): FieldRef {
  const parts = dotted.split('.');
  const name = parts.pop()!;
  return parts.length ? { kind: 'field', path: parts, name } : { kind: 'field', name };
}

export function lit(value: string | number | boolean | null, type?: ValueType): Lit {
  return type ? { kind: 'lit', value, type } : { kind: 'lit', value };
}

export const date = (d: string): Lit => lit(d, 'date');
export const timestamp = (t: string): Lit => lit(t, 'timestamp');
export const num = (n: number): Lit => lit(n, 'number');
export const today = (): Expr => ({ kind: 'today' });

const cmp =
  (op: CompareOp) =>
  (left: Operand, right: Operand): Expr => ({ kind: 'cmp', op, left: ex(left), right: ex(right) });
export const eq = cmp('=');
export const ne = cmp('<>');
export const lt = cmp('<');
export const le = cmp('<=');
export const gt = cmp('>');
export const ge = cmp('>=');

export const and = (...args: Operand[]): Expr => ({ kind: 'and', args: args.map(ex) });
export const or = (...args: Operand[]): Expr => ({ kind: 'or', args: args.map(ex) });
export const not = (arg: Operand): Expr => ({ kind: 'not', arg: ex(arg) });
export const isNull = (arg: Expr): Expr => ({ kind: 'isNull', arg });
export const isIn = (arg: Expr, values: (string | number | boolean)[]): Expr => ({ kind: 'in', arg, values });
export const between = (arg: Expr, low: Operand, high: Operand): Expr => ({ kind: 'between', arg, low: ex(low), high: ex(high) });
export const startsWith = (arg: Expr, prefix: string): Expr => ({ kind: 'startsWith', arg, prefix });
export const contains = (arg: Expr, text: string): Expr => ({ kind: 'contains', arg, text });

export const dateAdd = (arg: Expr, n: Operand, unit: DateUnit): Expr => ({ kind: 'dateAdd', arg, n: ex(n), unit });
export const age = (birth: Expr, at: Expr = today()): Expr => ({ kind: 'age', birth, at });
export const daysBetween = (from: Expr, to: Expr): Expr => ({ kind: 'daysBetween', from, to });
export const dateOf = (arg: Expr): Expr => ({ kind: 'dateOf', arg });
export const trunc = (arg: Expr, unit: 'month' | 'year'): Expr => ({ kind: 'trunc', arg, unit });

const arith =
  (op: ArithOp) =>
  (left: Operand, right: Operand): Expr => ({ kind: 'arith', op, left: ex(left), right: ex(right) });
export const add = arith('+');
export const sub = arith('-');
export const mul = arith('*');
export const div = arith('/');

/** Where to aggregate: along relations (`over`) or in windows of the same source (`by`). */
export interface AggSpec {
  over?: string[];
  by?: Expr[];
  where?: Expr;
}

function agg(fn: AggFn, spec: AggSpec, of?: string): Agg {
  const a: Agg = { kind: 'agg', fn };
  if (spec.over) a.over = spec.over;
  if (spec.by) a.by = spec.by;
  if (of) a.of = ref(of);
  if (spec.where) a.where = spec.where;
  return a;
}

export const count = (spec: AggSpec, of?: string): Agg => agg('count', spec, of);
export const countDistinct = (of: string, spec: AggSpec): Agg => agg('countDistinct', spec, of);
export const sum = (of: string, spec: AggSpec): Agg => agg('sum', spec, of);
export const min = (of: string, spec: AggSpec): Agg => agg('min', spec, of);
export const max = (of: string, spec: AggSpec): Agg => agg('max', spec, of);

export function rule(source: string, id: string, title: string, when: Expr, select?: SelectItem[]): Rule {
  return select ? { id, version: 1, source, title, when, select } : { id, version: 1, source, title, when };
}
