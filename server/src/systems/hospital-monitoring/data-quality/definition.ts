import { Type } from '@sinclair/typebox';
import { AppError } from '../../../platform/http/errors.ts';
import { checkRule, type Expr, type Rule } from '../../../platform/rules/index.ts';
import { describeRule } from '../../../platform/rules/describe.ts';
import { ref } from '../../../platform/rules/build.ts';
import { enumOf } from '../../../platform/http/schema.ts';
import { analyticsCatalog, INDICATOR_SOURCES, type IndicatorSource } from '../indicators/catalog.ts';
import { patternProblem } from './pattern.ts';

/**
 * A data-quality rule (数据质量规则) is a rule of the shared engine over the analytics catalog: its `when`
 * picks the offending rows; a format rule adds a pattern the field must match. Each rule names the one
 * field a data manager corrects, a suggested value (an expression, or a normalisation for formats) and
 * the fix advice shown in the report.
 */
export const KINDS = [
  ['completeness', '完整性'],
  ['format', '规范性（格式）'],
  ['logic', '逻辑性'],
  ['reference', '关联性（引用）'],
] as const;
export type DqKind = (typeof KINDS)[number][0];
export const KIND_CODES = KINDS.map((k) => k[0]) as DqKind[];
export const KIND_TITLE = Object.fromEntries(KINDS) as Record<DqKind, string>;
export const SEVERITIES = ['high', 'medium', 'low'] as const;
export const SEVERITY_TITLE: Record<string, string> = { high: '高', medium: '中', low: '低' };
export const NORMALIZERS = ['upper-trim', 'icd'] as const;
export type Normalizer = (typeof NORMALIZERS)[number];

/** Fields a correction may edit (the whitelist): source → field → value type. Tables and columns come from the catalog. */
export const CORRECTABLE: Record<IndicatorSource, Record<string, 'date' | 'integer' | 'string'>> = {
  encounter: { discharged_on: 'date' },
  diagnosis: { icd_code: 'string', diagnosed_on: 'date' },
  fee_line: { charged_on: 'date', practitioner_id: 'integer' },
  procedure: { performed_on: 'date', surgeon_id: 'integer' },
};

export interface DqDefinition {
  when: Expr;
  /** Format rules: the field's non-empty value must match this pattern (pattern.ts subset). */
  pattern?: string;
  /** Normalisation proposed as the fix of a format problem (kept only when it then matches). */
  normalize?: Normalizer;
  /** An expression read on the row giving the suggested value. */
  suggest?: Expr;
}

export interface DqRuleInput {
  kind: DqKind;
  title: string;
  source: IndicatorSource;
  field: string;
  definition: DqDefinition;
  suggestion: string;
  severity: (typeof SEVERITIES)[number];
}

export const RuleBody = Type.Object(
  {
    kind: enumOf(KIND_CODES),
    title: Type.String({ minLength: 1, maxLength: 80 }),
    source: enumOf(Object.keys(CORRECTABLE) as IndicatorSource[]),
    field: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z_]+$' }),
    definition: Type.Object(
      {
        when: Type.Unknown(),
        pattern: Type.Optional(Type.String({ maxLength: 120 })),
        normalize: Type.Optional(enumOf(NORMALIZERS)),
        suggest: Type.Optional(Type.Unknown()),
      },
      { additionalProperties: false },
    ),
    suggestion: Type.String({ minLength: 1, maxLength: 300 }),
    severity: enumOf(SEVERITIES),
  },
  { additionalProperties: false },
);

/** The engine rule a data-quality rule runs as: select = institution, district, institution name, the field, the suggestion. */
export function engineRule(id: number | string, version: number, r: Pick<DqRuleInput, 'title' | 'source' | 'field' | 'definition'>): Rule {
  const e = INDICATOR_SOURCES[r.source].toEncounter;
  const select = [
    { name: 'inst', expr: ref(`${e}institution_id`) as Expr },
    { name: 'district', expr: ref(`${e}institution.district_code`) as Expr },
    { name: 'inst_name', expr: ref(`${e}institution.name`) as Expr },
    { name: 'value', expr: ref(r.field) as Expr },
  ];
  if (r.definition.suggest) select.push({ name: 'suggest', expr: r.definition.suggest });
  return { id: String(id), version, source: r.source, title: r.title, when: r.definition.when, select };
}

/** 400 with zh-CN problems, or the engine rule. */
export function checkedRule(r: DqRuleInput): Rule {
  const details: { field: string; message: string }[] = [];
  if (JSON.stringify(r.definition).length > 20_000) details.push({ field: 'definition', message: '规则定义不能超过 20000 个字符' });
  const type = CORRECTABLE[r.source]?.[r.field];
  if (!type) details.push({ field: 'field', message: `「${r.field}」不是可修正的字段（可修正：${Object.keys(CORRECTABLE[r.source] ?? {}).join('、')}）` });
  if (r.kind === 'format') {
    const p = r.definition.pattern === undefined ? '格式规则须填写格式' : patternProblem(r.definition.pattern);
    if (p) details.push({ field: 'definition.pattern', message: p });
    if (type && type !== 'string') details.push({ field: 'field', message: '格式规则只能检查文本字段' });
  } else if (r.definition.pattern !== undefined || r.definition.normalize !== undefined) {
    details.push({ field: 'definition.pattern', message: '只有格式规则可以设置格式与规范化' });
  }
  if (details.length === 0) {
    const rule = engineRule('new', 1, r);
    for (const p of checkRule(analyticsCatalog, rule)) {
      const path = p.path.startsWith('select[4]')
        ? `definition.suggest${p.path.slice('select[4].expr'.length)}`
        : p.path.startsWith('when')
          ? `definition.${p.path}`
          : p.path;
      details.push({ field: path, message: p.message });
    }
    if (details.length === 0) return rule;
  }
  throw new AppError(400, 'VALIDATION_FAILED', `数据质量规则有误：${details[0]!.message}`, details);
}

export function sentenceOf(r: DqRuleInput, rule: Rule): string {
  const field = describeRule(analyticsCatalog, { ...rule, when: ref(r.field) });
  if (r.kind === 'format')
    return `「${field}」不符合格式 ${r.definition.pattern}${isTrue(r.definition.when) ? '' : `（适用于：${describeRule(analyticsCatalog, rule)}）`}`;
  return describeRule(analyticsCatalog, rule);
}

const isTrue = (e: Expr) => e?.kind === 'lit' && e.value === true;
