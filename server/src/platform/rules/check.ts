/**
 * The type checker: the one place that decides what a rule means — which field a ref names, which
 * relations a path walks, what type every expression has. The compiler, evaluator and describer ask
 * it (typeOf, resolveField, resolveAgg) instead of deciding again. Rules arrive as JSON from the rule
 * builder, so nothing here trusts the shape of its input.
 */
import type { Agg, Expr, FieldRef, Rule } from './ast.ts';
import { type Catalog, type CodeList, type Field, type Relation, type Source, TYPE_TITLE, type ValueType } from './catalog.ts';
import { isDateString, isTimestampString } from './dates.ts';

export interface TypeInfo {
  type: ValueType;
  codeList?: CodeList;
  /** The field's zh-CN title when the expression is a field (for messages). */
  title?: string;
}

/** A problem found in a rule: where (a path such as `when.args[1].left`) and what, in zh-CN. */
export interface Problem {
  path: string;
  message: string;
}

export class RuleError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`规则有误：${problems.map((p) => `${p.path}：${p.message}`).join('；')}`);
    this.name = 'RuleError';
  }
}

export const MAX_DEPTH = 40;

const COMPARE_OPS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const ARITH_OPS = new Set(['+', '-', '*', '/']);
const AGG_FNS = new Set(['count', 'sum', 'min', 'max', 'countDistinct']);
const ORDERED: readonly ValueType[] = ['integer', 'number', 'date', 'timestamp', 'string'];
const NUMERIC: readonly ValueType[] = ['integer', 'number'];

export const AGG_TITLE: Record<string, string> = {
  count: '计数',
  sum: '求和',
  min: '最小值',
  max: '最大值',
  countDistinct: '去重计数',
};

export interface ResolvedField {
  field: Field;
  /** The "to-one" relations walked from the scope's source, in order. */
  hops: Relation[];
}

export type ResolvedAgg = { mode: 'related'; hops: Relation[]; target: Source } | { mode: 'window'; target: Source; keys: Expr[] };

interface Scope {
  source: Source;
  /** Inside an aggregation's of/where/by: no nested aggregation. */
  inAgg: boolean;
}

class Checker {
  readonly problems: Problem[] = [];
  constructor(readonly catalog: Catalog) {}

  fail(path: string, message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }

  label(e: Expr, t?: TypeInfo): string {
    if (e && typeof e === 'object') {
      if (e.kind === 'field' && typeof e.name === 'string') return `「${t?.title ?? e.name}」`;
      if (e.kind === 'lit') return `「${String(e.value)}」`;
    }
    return t ? `（${TYPE_TITLE[t.type]}）` : '表达式';
  }

  resolveField(scope: Scope, ref: FieldRef, path: string): ResolvedField | undefined {
    if (typeof ref.name !== 'string') return this.fail(path, '字段引用缺少字段名');
    if (ref.path !== undefined && !Array.isArray(ref.path)) return this.fail(path, '字段路径须是关系名列表');
    let src = scope.source;
    const hops: Relation[] = [];
    for (const name of ref.path ?? []) {
      const rel = typeof name === 'string' ? src.relations.get(name) : undefined;
      if (!rel) return this.fail(path, `「${src.title}」没有关系「${String(name)}」`);
      if (rel.cardinality !== 'one') {
        return this.fail(path, `关系「${rel.title}」是一对多，取其中字段须使用聚合（计数、求和等）`);
      }
      hops.push(rel);
      src = this.catalog.sources.get(rel.to)!;
    }
    const field = src.fields.get(ref.name);
    if (!field) return this.fail(path, `「${src.title}」没有字段「${ref.name}」`);
    return { field, hops };
  }

  resolveAgg(scope: Scope, e: Agg, path: string): ResolvedAgg | undefined {
    const hasOver = e.over !== undefined;
    const hasBy = e.by !== undefined;
    if (hasOver === hasBy) {
      return this.fail(path, '聚合须二选一：沿关系聚合（over），或在本数据源内按分组窗口聚合（by，如同一患者同一天）');
    }
    if (hasOver) {
      if (!Array.isArray(e.over) || e.over.length === 0) return this.fail(`${path}.over`, '聚合的关系路径不能为空');
      let src = scope.source;
      const hops: Relation[] = [];
      for (const name of e.over) {
        const rel = typeof name === 'string' ? src.relations.get(name) : undefined;
        if (!rel) {
          return this.fail(`${path}.over`, `「${src.title}」与「${String(name)}」之间没有目录中登记的关系，聚合只能沿关系进行`);
        }
        hops.push(rel);
        src = this.catalog.sources.get(rel.to)!;
      }
      if (!hops.some((h) => h.cardinality === 'many')) {
        return this.fail(`${path}.over`, '聚合的关系路径须包含一对多关系（对一关系直接取字段即可）');
      }
      return { mode: 'related', hops, target: src };
    }
    if (!Array.isArray(e.by) || e.by.length === 0) {
      return this.fail(`${path}.by`, '窗口聚合须至少有一个分组键（如患者、日期）');
    }
    return { mode: 'window', target: scope.source, keys: e.by };
  }

  /** The type of e, or undefined after reporting why it has none. */
  infer(scope: Scope, e: Expr, path: string, depth: number): TypeInfo | undefined {
    if (depth > MAX_DEPTH) return this.fail(path, '表达式嵌套过深');
    if (!e || typeof e !== 'object' || typeof e.kind !== 'string') return this.fail(path, '缺少表达式');
    const sub = (x: Expr, p: string, s: Scope = scope) => this.infer(s, x, `${path}.${p}`, depth + 1);
    const bool = (x: Expr, p: string, s: Scope = scope) => {
      const t = sub(x, p, s);
      if (t && t.type !== 'boolean') this.fail(`${path}.${p}`, `此处需要条件（是/否），而${this.label(x, t)}是${TYPE_TITLE[t.type]}`);
    };
    switch (e.kind) {
      case 'lit':
        return this.literal(e.value, e.type, path);
      case 'field': {
        const r = this.resolveField(scope, e, path);
        return r && { type: r.field.type, codeList: r.field.codeList, title: r.field.title };
      }
      case 'today':
        return { type: 'date' };
      case 'cmp': {
        if (!COMPARE_OPS.has(e.op)) return this.fail(path, `未知的比较运算「${String(e.op)}」`);
        const l = sub(e.left, 'left');
        const r = sub(e.right, 'right');
        if (l && r) this.comparable(path, e.op, e.left, l, e.right, r);
        return { type: 'boolean' };
      }
      case 'and':
      case 'or': {
        if (!Array.isArray(e.args) || e.args.length === 0) return this.fail(path, '“且/或”至少需要一个条件');
        e.args.forEach((a, i) => {
          bool(a, `args[${i}]`);
        });
        return { type: 'boolean' };
      }
      case 'not':
        bool(e.arg, 'arg');
        return { type: 'boolean' };
      case 'isNull':
        sub(e.arg, 'arg');
        return { type: 'boolean' };
      case 'in': {
        const t = sub(e.arg, 'arg');
        if (!Array.isArray(e.values) || e.values.length === 0) return this.fail(`${path}.values`, '“属于”的取值列表不能为空');
        if (t) {
          e.values.forEach((v, i) => {
            if (v === null) this.fail(`${path}.values[${i}]`, '取值列表中不能有空值（判断空值请用“为空”）');
            else if (this.literal(v, t.type, `${path}.values[${i}]`)) this.codeMember(t, v, `${path}.values[${i}]`);
          });
        }
        return { type: 'boolean' };
      }
      case 'between': {
        const t = sub(e.arg, 'arg');
        const lo = sub(e.low, 'low');
        const hi = sub(e.high, 'high');
        if (t && lo) this.comparable(path, '<=', e.low, lo, e.arg, t);
        if (t && hi) this.comparable(path, '<=', e.arg, t, e.high, hi);
        return { type: 'boolean' };
      }
      case 'startsWith':
      case 'contains': {
        const t = sub(e.arg, 'arg');
        if (t && t.type !== 'string' && t.type !== 'code') this.fail(path, `${this.label(e.arg, t)}不是文本，不能做“开头是/包含”判断`);
        const s = e.kind === 'startsWith' ? e.prefix : e.text;
        if (typeof s !== 'string') this.fail(path, '“开头是/包含”的内容须是文本常量');
        return { type: 'boolean' };
      }
      case 'dateAdd': {
        const t = sub(e.arg, 'arg');
        if (t && t.type !== 'date') this.fail(`${path}.arg`, `日期加减只能用于日期，${this.label(e.arg, t)}是${TYPE_TITLE[t.type]}`);
        const n = sub(e.n, 'n');
        if (n && n.type !== 'integer') this.fail(`${path}.n`, '日期加减的数量须是整数');
        if (e.unit !== 'day' && e.unit !== 'month' && e.unit !== 'year') this.fail(path, `未知的日期单位「${String(e.unit)}」`);
        return { type: 'date' };
      }
      case 'age':
      case 'daysBetween': {
        const [a, b] = e.kind === 'age' ? (['birth', 'at'] as const) : (['from', 'to'] as const);
        for (const k of [a, b]) {
          const x = (e as unknown as Record<string, Expr>)[k] as Expr; // infer() reports a missing one
          const t = sub(x, k);
          if (t && t.type !== 'date')
            this.fail(`${path}.${k}`, `${e.kind === 'age' ? '年龄' : '天数'}计算需要日期，${this.label(x, t)}是${TYPE_TITLE[t.type]}`);
        }
        return { type: 'integer' };
      }
      case 'dateOf': {
        const t = sub(e.arg, 'arg');
        if (t && t.type !== 'timestamp') this.fail(`${path}.arg`, `取日期只能用于时间，${this.label(e.arg, t)}是${TYPE_TITLE[t.type]}`);
        return { type: 'date' };
      }
      case 'trunc': {
        const t = sub(e.arg, 'arg');
        if (t && t.type !== 'date' && t.type !== 'timestamp') this.fail(`${path}.arg`, `按月/年取整只能用于日期或时间`);
        if (e.unit !== 'month' && e.unit !== 'year') this.fail(path, `未知的取整单位「${String(e.unit)}」`);
        return { type: 'date' };
      }
      case 'arith': {
        if (!ARITH_OPS.has(e.op)) return this.fail(path, `未知的算术运算「${String(e.op)}」`);
        const l = sub(e.left, 'left');
        const r = sub(e.right, 'right');
        for (const [x, t, p] of [
          [e.left, l, 'left'],
          [e.right, r, 'right'],
        ] as const) {
          if (t && !NUMERIC.includes(t.type)) this.fail(`${path}.${p}`, `算术运算只能用于数值，${this.label(x, t)}是${TYPE_TITLE[t.type]}`);
        }
        if (!l || !r || !NUMERIC.includes(l.type) || !NUMERIC.includes(r.type)) return undefined;
        return { type: l.type === 'integer' && r.type === 'integer' ? 'integer' : 'number' };
      }
      case 'agg':
        return this.agg(scope, e, path, depth);
      default:
        return this.fail(path, `未知的表达式类型「${String((e as { kind: unknown }).kind)}」`);
    }
  }

  agg(scope: Scope, e: Agg, path: string, depth: number): TypeInfo | undefined {
    if (scope.inAgg) return this.fail(path, '聚合的筛选条件、分组键和字段中不能再嵌套聚合');
    if (!AGG_FNS.has(e.fn)) return this.fail(path, `未知的聚合「${String(e.fn)}」`);
    const r = this.resolveAgg(scope, e, path);
    if (!r) return undefined;
    const inner: Scope = { source: r.target, inAgg: true };
    if (r.mode === 'window') {
      r.keys.forEach((k, i) => {
        this.infer(inner, k, `${path}.by[${i}]`, depth + 1);
      });
    }
    if (e.where !== undefined) {
      const t = this.infer(inner, e.where, `${path}.where`, depth + 1);
      if (t && t.type !== 'boolean') this.fail(`${path}.where`, '聚合的筛选条件须是条件（是/否）');
    }
    let of: TypeInfo | undefined;
    if (e.of !== undefined) {
      if (e.of?.kind !== 'field') return this.fail(`${path}.of`, '聚合的对象须是字段');
      const f = this.resolveField(inner, e.of, `${path}.of`);
      if (!f) return undefined;
      of = { type: f.field.type, codeList: f.field.codeList, title: f.field.title };
    } else if (e.fn !== 'count') {
      return this.fail(path, `「${AGG_TITLE[e.fn]}」须指定字段`);
    }
    const name = AGG_TITLE[e.fn];
    switch (e.fn) {
      case 'count':
      case 'countDistinct':
        return { type: 'integer' };
      case 'sum':
        if (!NUMERIC.includes(of!.type)) return this.fail(`${path}.of`, `「${name}」只能用于数值字段，「${of!.title}」是${TYPE_TITLE[of!.type]}`);
        return { type: of!.type };
      default:
        if (!ORDERED.includes(of!.type))
          return this.fail(`${path}.of`, `「${name}」只能用于数值、日期、时间或文本字段，「${of!.title}」是${TYPE_TITLE[of!.type]}`);
        return { type: of!.type };
    }
  }

  /** Checks a constant against its (declared or inferred) type. */
  literal(value: unknown, type: ValueType | undefined, path: string): TypeInfo | undefined {
    if (type === undefined) {
      if (typeof value === 'boolean') return { type: 'boolean' };
      if (typeof value === 'string') return { type: 'string' };
      if (typeof value === 'number') type = Number.isInteger(value) ? 'integer' : 'number';
      else if (value === null) return this.fail(path, '空值常量须注明类型');
      else return this.fail(path, '常量只能是文本、数值或是/否');
    }
    if (value === null) return { type };
    const bad = (what: string) => this.fail(path, `「${String(value)}」不是${what}`);
    switch (type) {
      case 'string':
      case 'code':
        if (typeof value !== 'string') return bad('文本');
        if (value.includes('\u0000')) return this.fail(path, '文本中不能含有空字符');
        break;
      case 'integer':
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) return bad('整数');
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) return bad('数值');
        break;
      case 'boolean':
        if (typeof value !== 'boolean') return bad('是/否');
        break;
      case 'date':
        if (!isDateString(value)) return bad('日期（格式 YYYY-MM-DD）');
        break;
      case 'timestamp':
        if (!isTimestampString(value)) return bad('带时区的时间（如 2024-01-31T08:00:00+08:00，精确到毫秒）');
        break;
      default:
        return this.fail(path, `未知的类型「${String(type)}」`);
    }
    return { type };
  }

  codeMember(t: TypeInfo, v: unknown, path: string): void {
    const codes = t.codeList?.codes;
    if (codes && typeof v === 'string' && !Object.hasOwn(codes, v)) {
      this.fail(path, `「${v}」不在代码表「${t.codeList!.title}」中`);
    }
  }

  comparable(path: string, op: string, le: Expr, l: TypeInfo, re: Expr, r: TypeInfo): void {
    const ordering = op !== '=' && op !== '<>';
    const text = (t: ValueType) => t === 'string' || t === 'code';
    let ok: boolean;
    if (NUMERIC.includes(l.type) && NUMERIC.includes(r.type)) ok = true;
    else if (text(l.type) && text(r.type)) {
      if (ordering && (l.type === 'code' || r.type === 'code')) {
        this.fail(path, '代码只能比较相等或不等，不能比较大小');
        return;
      }
      if (l.codeList && r.codeList && l.codeList !== r.codeList) {
        this.fail(path, `${this.label(le, l)}与${this.label(re, r)}属于不同的代码表`);
        return;
      }
      ok = true;
    } else ok = l.type === r.type;
    if (!ok) {
      this.fail(path, `${this.label(le, l)}（${TYPE_TITLE[l.type]}）不能与${this.label(re, r)}（${TYPE_TITLE[r.type]}）比较`);
      return;
    }
    if (ordering && l.type === 'boolean') {
      this.fail(path, '是/否只能比较相等或不等');
      return;
    }
    if (le?.kind === 'lit') this.codeMember(r, le.value, path);
    if (re?.kind === 'lit') this.codeMember(l, re.value, path);
  }
}

/** Every problem in the rule (empty when it can be compiled and evaluated). */
export function checkRule(catalog: Catalog, rule: Rule): Problem[] {
  const c = new Checker(catalog);
  if (!rule || typeof rule !== 'object') return [{ path: '', message: '规则须是一个对象' }];
  if (typeof rule.id !== 'string' || rule.id === '') c.fail('id', '规则缺少编号');
  if (!Number.isInteger(rule.version) || rule.version < 1) c.fail('version', '规则版本须是正整数');
  if (typeof rule.title !== 'string' || rule.title.trim() === '') c.fail('title', '规则缺少名称');
  const source = typeof rule.source === 'string' ? catalog.sources.get(rule.source) : undefined;
  if (!source) {
    c.fail('source', `未知的数据源「${String(rule.source)}」`);
    return c.problems;
  }
  const scope: Scope = { source, inAgg: false };
  const t = c.infer(scope, rule.when, 'when', 0);
  if (t && t.type !== 'boolean') c.fail('when', `规则条件须是条件（是/否），而这里是${TYPE_TITLE[t.type]}`);
  if (rule.select !== undefined) {
    if (!Array.isArray(rule.select)) c.fail('select', '输出项须是列表');
    else {
      const names = new Set<string>();
      rule.select.forEach((s, i) => {
        if (!s || typeof s.name !== 'string' || s.name === '') c.fail(`select[${i}]`, '输出项缺少名称');
        else if (names.has(s.name)) c.fail(`select[${i}]`, `输出项名称「${s.name}」重复`);
        else names.add(s.name);
        c.infer(scope, s?.expr, `select[${i}].expr`, 0);
      });
    }
  }
  return c.problems;
}

/** Problems of one expression read on `source` (for the builder's per-condition feedback). */
export function checkExpr(catalog: Catalog, source: string, e: Expr): { type?: TypeInfo; problems: Problem[] } {
  const c = new Checker(catalog);
  const src = catalog.sources.get(source);
  if (!src) return { problems: [{ path: '', message: `未知的数据源「${source}」` }] };
  const type = c.infer({ source: src, inAgg: false }, e, '', 0);
  return { type, problems: c.problems };
}

export function assertValidRule(catalog: Catalog, rule: Rule): void {
  const problems = checkRule(catalog, rule);
  if (problems.length > 0) throw new RuleError(problems);
}

function orThrow<T>(c: Checker, v: T | undefined): T {
  if (c.problems.length > 0 || v === undefined) throw new RuleError(c.problems);
  return v;
}

/** The type of an expression of a checked rule, read on `source` (inside an aggregation: its target). */
export function typeOf(catalog: Catalog, source: Source, e: Expr, inAgg = false): TypeInfo {
  const c = new Checker(catalog);
  return orThrow(c, c.infer({ source, inAgg }, e, '', 0));
}

export function resolveField(catalog: Catalog, source: Source, ref: FieldRef): ResolvedField {
  const c = new Checker(catalog);
  return orThrow(c, c.resolveField({ source, inAgg: false }, ref, ''));
}

export function resolveAgg(catalog: Catalog, source: Source, e: Agg): ResolvedAgg {
  const c = new Checker(catalog);
  return orThrow(c, c.resolveAgg({ source, inAgg: false }, e, ''));
}
