/** The fee-review API's shapes come from the server's declarations; the labels and colours are the console's. */
import type {
  CaseStatus,
  Conclusion,
  Counts,
  Dimension,
  FeeCase,
  FeeCaseDetail,
  FeeReviewStats,
  FindingResult,
  SectionDef,
} from '@server/systems/hospital-monitoring/fee-review/responses.ts';

export type { CaseStatus, Conclusion, Counts, Dimension, FeeCase, FeeCaseDetail, FeeReviewStats, FindingResult, SectionDef };

export const STATUS_OPTIONS: { value: CaseStatus; label: string; color: string }[] = [
  { value: 'uploaded', label: '待核查', color: 'default' },
  { value: 'under_review', label: '核查中', color: 'processing' },
  { value: 'concluded', label: '已出结论', color: 'success' },
];
export const STATUS_COLOR = Object.fromEntries(STATUS_OPTIONS.map((o) => [o.value, o.color])) as Record<CaseStatus, string>;

export const CONCLUSION_OPTIONS: { value: Conclusion; label: string; color: string }[] = [
  { value: 'reasonable', label: '费用偏离合理', color: 'green' },
  { value: 'partly_reasonable', label: '部分合理', color: 'orange' },
  { value: 'unreasonable', label: '费用偏离不合理', color: 'red' },
];
export const CONCLUSION_COLOR = Object.fromEntries(CONCLUSION_OPTIONS.map((o) => [o.value, o.color])) as Record<Conclusion, string>;

export const RESULT_OPTIONS: { value: FindingResult; label: string }[] = [
  { value: 'compliant', label: '未发现问题' },
  { value: 'issue', label: '存在问题' },
  { value: 'not_applicable', label: '不适用' },
];

export const DEVIATION_TITLE: Record<string, string> = { high: '高倍率（费用偏高）', low: '低倍率（费用偏低）' };
