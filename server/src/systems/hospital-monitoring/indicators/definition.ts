import { Type } from '@sinclair/typebox';
import { AppError } from '../../../platform/http/errors.ts';
import type { Expr, FieldRef } from '../../../platform/rules/index.ts';
import { ref } from '../../../platform/rules/build.ts';
import { type Aggregate, checkAggregate, MEASURE_TITLE, type MeasureFn } from '../../../platform/rules/compile-aggregate.ts';
import { describeExpr } from '../../../platform/rules/describe.ts';
import { enumOf } from '../../../platform/http/schema.ts';
import { analyticsCatalog, INDICATOR_SOURCE_NAMES, type IndicatorSource } from './catalog.ts';

/**
 * A custom indicator (自定义指标): a numerator and an optional denominator, each an aggregate (count /
 * count distinct / sum) of one source under a filter — possibly of different sources (次均费用 = fee
 * amounts ÷ distinct encounters) — times a multiplier (100 for a percentage). Stored as JSON, checked by
 * the rule engine's type checker, described as a Chinese sentence.
 */
export interface IndicatorPart {
  source: IndicatorSource;
  fn: MeasureFn;
  /** Dotted field name for countDistinct / sum (`amount`, `encounter.person_id`). */
  of?: string;
  where?: Expr;
}

export interface IndicatorDefinition {
  numerator: IndicatorPart;
  denominator?: IndicatorPart;
  multiplier: number;
  unit: string;
  precision: number;
}

const MEASURES = ['count', 'countDistinct', 'sum'] as const;
export const MULTIPLIERS = [1, 100, 1000, 10000] as const;

const PartSchema = Type.Object(
  {
    source: enumOf(INDICATOR_SOURCE_NAMES),
    fn: enumOf(MEASURES),
    of: Type.Optional(Type.String({ minLength: 1, maxLength: 80, pattern: '^[a-z_]+(\\.[a-z_]+)*$' })),
    where: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

export const DefinitionSchema = Type.Object(
  {
    numerator: PartSchema,
    denominator: Type.Optional(PartSchema),
    multiplier: Type.Integer({ enum: [...MULTIPLIERS] }),
    unit: Type.String({ maxLength: 10 }),
    precision: Type.Integer({ minimum: 0, maximum: 4 }),
  },
  { additionalProperties: false },
);

const MAX_CHARS = 20_000;

export function partAggregate(p: IndicatorPart, where?: Expr, dimensions?: Aggregate['dimensions']): Aggregate {
  const a: Aggregate = { source: p.source, fn: p.fn };
  if (p.of !== undefined) a.of = ref(p.of) as FieldRef;
  const conds = [where, p.where].filter((x): x is Expr => x !== undefined);
  if (conds.length === 1) a.where = conds[0];
  else if (conds.length > 1) a.where = { kind: 'and', args: conds };
  if (dimensions) a.dimensions = dimensions;
  return a;
}

/** 400 with the checker's zh-CN problems (fields `definition.numerator.where.left`…), or nothing. */
export function assertDefinition(d: IndicatorDefinition): void {
  if (JSON.stringify(d).length > MAX_CHARS) {
    throw new AppError(400, 'VALIDATION_FAILED', '指标定义过于复杂', [{ field: 'definition', message: `指标定义不能超过 ${MAX_CHARS} 个字符` }]);
  }
  const details: { field: string; message: string }[] = [];
  for (const side of ['numerator', 'denominator'] as const) {
    const p = d[side];
    if (!p) continue;
    for (const x of checkAggregate(analyticsCatalog, partAggregate(p))) {
      details.push({ field: `definition.${side}${x.path ? `.${x.path}` : ''}`, message: x.message });
    }
  }
  if (details.length) throw new AppError(400, 'VALIDATION_FAILED', `指标定义有误：${details[0]!.message}`, details);
}

function describePart(p: IndicatorPart): string {
  const src = analyticsCatalog.sources.get(p.source)!;
  const filter = p.where ? `${describeExpr(analyticsCatalog, p.source, p.where)}的` : '';
  if (p.fn === 'count') return `${filter}${src.title}数`;
  const field = describeExpr(analyticsCatalog, p.source, ref(p.of ?? '?'));
  return `${filter}${src.title}「${field}」${p.fn === 'sum' ? '合计' : '去重数'}`;
}

/** The indicator as a sentence: "（收费明细「金额」合计）÷（就诊数）". */
export function describeDefinition(d: IndicatorDefinition): string {
  const num = describePart(d.numerator);
  let s = d.denominator ? `（${num}）÷（${describePart(d.denominator)}）` : num;
  if (d.multiplier !== 1) s += ` × ${d.multiplier}`;
  if (d.unit) s += `，单位：${d.unit}`;
  return s;
}

export { MEASURE_TITLE };
