import { and, eq, isIn, lit, ref } from '../../../platform/rules/build.ts';
import type { IndicatorDefinition } from './definition.ts';

/** Built-in indicators (常用监测指标), seeded once; each is an ordinary definition people can version. */
export const BUILTIN_INDICATORS: { code: string; title: string; description: string; definition: IndicatorDefinition }[] = [
  {
    code: 'visits.outpatient',
    title: '门急诊人次',
    description: '门诊与急诊就诊次数',
    definition: {
      numerator: { source: 'encounter', fn: 'count', where: isIn(ref('kind'), ['outpatient', 'emergency']) },
      multiplier: 1,
      unit: '人次',
      precision: 0,
    },
  },
  {
    code: 'visits.inpatient',
    title: '住院人次',
    description: '住院就诊次数（按入院日期）',
    definition: { numerator: { source: 'encounter', fn: 'count', where: eq(ref('kind'), lit('inpatient')) }, multiplier: 1, unit: '人次', precision: 0 },
  },
  {
    code: 'fee.per-visit',
    title: '次均费用',
    description: '收费金额合计 ÷ 有收费的就诊数',
    definition: {
      numerator: { source: 'fee_line', fn: 'sum', of: 'amount' },
      denominator: { source: 'fee_line', fn: 'countDistinct', of: 'encounter_id' },
      multiplier: 1,
      unit: '元',
      precision: 2,
    },
  },
  {
    code: 'fee.drug-share',
    title: '药占比',
    description: '药品费用占收费总额的百分比',
    definition: {
      numerator: { source: 'fee_line', fn: 'sum', of: 'amount', where: eq(ref('category'), lit('药品')) },
      denominator: { source: 'fee_line', fn: 'sum', of: 'amount' },
      multiplier: 100,
      unit: '%',
      precision: 2,
    },
  },
  {
    code: 'fee.exam-share',
    title: '检查化验费用占比',
    description: '检查与化验费用占收费总额的百分比',
    definition: {
      numerator: { source: 'fee_line', fn: 'sum', of: 'amount', where: isIn(ref('category'), ['检查', '化验']) },
      denominator: { source: 'fee_line', fn: 'sum', of: 'amount' },
      multiplier: 100,
      unit: '%',
      precision: 2,
    },
  },
  {
    code: 'surgery.per-100-inpatients',
    title: '每百住院人次手术例数',
    description: '手术操作例数 ÷ 住院人次 × 100（跨数据源）',
    definition: {
      numerator: { source: 'procedure', fn: 'count' },
      denominator: { source: 'encounter', fn: 'count', where: eq(ref('kind'), lit('inpatient')) },
      multiplier: 100,
      unit: '例/百人次',
      precision: 1,
    },
  },
  {
    code: 'surgery.grade4-share',
    title: '四级手术占比',
    description: '四级手术例数占手术总例数的百分比',
    definition: {
      numerator: { source: 'procedure', fn: 'count', where: and(eq(ref('surgery_grade'), 4)) },
      denominator: { source: 'procedure', fn: 'count' },
      multiplier: 100,
      unit: '%',
      precision: 2,
    },
  },
];
