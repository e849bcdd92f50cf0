/**
 * A rule as a Chinese sentence, for the rule builder, finding details and audit logs, e.g.
 * "同一患者同一天内收费项目为「B超」的收费明细条数 大于 2". It reads half-built rules too (the builder
 * shows the sentence while a person edits), so unknown parts are shown as "？" instead of throwing.
 */
import type { Agg, Expr, Rule } from './ast.ts';
import type { Catalog, CodeList, Relation, Source } from './catalog.ts';
import { checkExpr } from './check.ts';

const CMP: Record<string, string> = { '=': '等于', '<>': '不等于', '<': '小于', '<=': '小于等于', '>': '大于', '>=': '大于等于' };
const ARITH: Record<string, string> = { '+': '+', '-': '−', '*': '×', '/': '÷' };
const UNIT: Record<string, string> = { day: '天', month: '个月', year: '年' };
const CONDITIONS = new Set(['cmp', 'and', 'or', 'not', 'in', 'between', 'isNull', 'startsWith', 'contains']);

/** Nesting context: top level (Or), inside and/or (And), inside anything else (Atom). */
const Level = { Or: 1, And: 2, Atom: 3 } as const;
type Level = number;

class Describer {
  constructor(readonly catalog: Catalog) {}

  codeListOf(src: Source, e: Expr): CodeList | undefined {
    try {
      return checkExpr(this.catalog, src.name, e).type?.codeList;
    } catch {
      return undefined;
    }
  }

  value(v: unknown, list?: CodeList): string {
    if (v === null || v === undefined) return '空值';
    if (typeof v === 'boolean') return v ? '“是”' : '“否”';
    if (typeof v === 'number') return String(v);
    const s = String(v);
    const label = list?.codes?.[s];
    return `「${label ?? s}」`;
  }

  fieldTitle(src: Source, path: string[] | undefined, name: string): string {
    const parts: string[] = [];
    let s: Source | undefined = src;
    for (const p of path ?? []) {
      const rel: Relation | undefined = s?.relations.get(p);
      parts.push(rel?.title ?? p);
      s = rel ? this.catalog.sources.get(rel.to) : undefined;
    }
    parts.push(s?.fields.get(name)?.title ?? name);
    return parts.join('的');
  }

  /** A value inside a condition; a condition used as a value (`(a > b) = c`) gets brackets. */
  operand(src: Source, e: Expr): string {
    return e && CONDITIONS.has(e.kind) ? `（${this.d(src, e, Level.Or)}）` : this.d(src, e);
  }

  /** `level` is the nesting context (see Level). */
  d(src: Source, e: Expr, level: Level = Level.Atom): string {
    if (!e || typeof e !== 'object') return '？';
    const x = (y: Expr) => this.operand(src, y);
    switch (e.kind) {
      case 'lit':
        return this.value(e.value);
      case 'field':
        return this.fieldTitle(src, e.path, e.name);
      case 'today':
        return '今天';
      case 'cmp': {
        if (e.right?.kind === 'lit' && typeof e.right.value === 'boolean' && (e.op === '=' || e.op === '<>')) {
          const yes = (e.op === '=') === e.right.value;
          return `${x(e.left)}为${yes ? '“是”' : '“否”'}`;
        }
        const list = this.codeListOf(src, e.left) ?? this.codeListOf(src, e.right);
        const side = (y: Expr) => (y?.kind === 'lit' ? this.value(y.value, list) : x(y));
        return `${side(e.left)} ${CMP[e.op] ?? e.op} ${side(e.right)}`;
      }
      case 'and':
      case 'or': {
        const args = Array.isArray(e.args) ? e.args : [];
        const text = args.map((a) => this.d(src, a, Level.And)).join(e.kind === 'and' ? '，且 ' : '，或 ');
        // Any and/or inside another gets brackets: readers should not need precedence rules.
        return args.length > 1 && level > Level.Or ? `（${text}）` : text;
      }
      case 'not': {
        const a = e.arg;
        if (a?.kind === 'isNull') return `${x(a.arg)} 不为空`;
        if (a?.kind === 'in') return `${x(a.arg)} 不属于 ${this.list(src, a.arg, a.values)}`;
        if (a?.kind === 'startsWith') return `${x(a.arg)} 不以「${a.prefix}」开头`;
        if (a?.kind === 'contains') return `${x(a.arg)} 不包含「${a.text}」`;
        return `并非（${this.d(src, a, Level.Or)}）`;
      }
      case 'isNull':
        return `${x(e.arg)} 为空`;
      case 'in':
        return `${x(e.arg)} 属于 ${this.list(src, e.arg, e.values)}`;
      case 'between':
        return `${x(e.arg)} 介于 ${x(e.low)} 与 ${x(e.high)} 之间（含两端）`;
      case 'startsWith':
        return `${x(e.arg)} 以「${e.prefix}」开头`;
      case 'contains':
        return `${x(e.arg)} 包含「${e.text}」`;
      case 'dateAdd': {
        const unit = UNIT[e.unit] ?? e.unit;
        if (e.n?.kind === 'lit' && typeof e.n.value === 'number') {
          const n = e.n.value;
          return `${x(e.arg)}${n < 0 ? '前' : '后'}${Math.abs(n)}${unit}`;
        }
        return `${x(e.arg)}加上（${x(e.n)}）${unit}`;
      }
      case 'age':
        return `按${x(e.birth)}计算的${e.at?.kind === 'today' ? '当前' : `${x(e.at)}时的`}周岁年龄`;
      case 'daysBetween':
        return `${x(e.from)}至${x(e.to)}的天数`;
      case 'dateOf':
        return `${x(e.arg)}的日期`;
      case 'trunc':
        return `${x(e.arg)}所在${e.unit === 'month' ? '月' : '年'}的第一天`;
      case 'arith': {
        const side = (y: Expr) => (y?.kind === 'arith' ? `（${x(y)}）` : x(y));
        return `${side(e.left)} ${ARITH[e.op] ?? e.op} ${side(e.right)}`;
      }
      case 'agg':
        return this.agg(src, e);
      default:
        return '？';
    }
  }

  list(src: Source, arg: Expr, values: unknown[]): string {
    const list = this.codeListOf(src, arg);
    return (Array.isArray(values) ? values : []).map((v) => this.value(v, list)).join('、');
  }

  /** "同一患者同一天内" for a window key. */
  windowKey(src: Source, k: Expr): string {
    if (k?.kind === 'field') {
      const t = this.fieldType(src, k);
      return t === 'date' ? '同一天' : `同一${this.fieldTitle(src, k.path, k.name).split('的').pop()}`;
    }
    if (k?.kind === 'dateOf') return '同一天';
    if (k?.kind === 'trunc') return k.unit === 'month' ? '同一月' : '同一年';
    return `同一（${this.d(src, k)}）`;
  }

  fieldType(src: Source, e: Expr): string | undefined {
    try {
      return checkExpr(this.catalog, src.name, e).type?.type;
    } catch {
      return undefined;
    }
  }

  agg(src: Source, e: Agg): string {
    let target: Source | undefined = src;
    // The rows ("该就诊的收费明细" / "同一患者同一天内…的收费明细"), then what is counted or summed.
    let rows: string;
    let filter = '';
    if (Array.isArray(e.over)) {
      const titles: string[] = [];
      for (const name of e.over) {
        const rel: Relation | undefined = target?.relations.get(name);
        titles.push(rel?.title ?? name);
        target = rel ? this.catalog.sources.get(rel.to) : undefined;
      }
      if (!target) return '？';
      rows = `该${src.title}的${titles.join('的')}`;
      if (e.where) filter = `中${this.d(target, e.where, Level.Or)}的`;
    } else {
      rows = `${(Array.isArray(e.by) ? e.by : []).map((k) => this.windowKey(src, k)).join('')}内`;
      rows += e.where ? `${this.d(src, e.where, Level.Or)}的${src.title}` : src.title;
    }
    const of = e.of ? this.fieldTitle(target, e.of.path, e.of.name) : '';
    switch (e.fn) {
      case 'count':
        return of ? `${rows}${filter}${of}非空的条数` : `${rows}${filter}条数`;
      case 'countDistinct':
        return `${rows}${filter || '中'}不同${of}的个数`;
      case 'sum':
        return `${rows}${filter}${of}合计`;
      case 'min':
        return `${rows}${filter}${of}最小值`;
      case 'max':
        return `${rows}${filter}${of}最大值`;
      default:
        return '？';
    }
  }
}

/** The rule's condition as a sentence. */
export function describeRule(catalog: Catalog, rule: Rule): string {
  const src = catalog.sources.get(rule?.source);
  if (!src) return '？';
  return new Describer(catalog).d(src, rule.when, Level.Or);
}

/** One expression read on `source` as a phrase. */
export function describeExpr(catalog: Catalog, source: string, e: Expr): string {
  const src = catalog.sources.get(source);
  if (!src) return '？';
  return new Describer(catalog).d(src, e, Level.Or);
}
