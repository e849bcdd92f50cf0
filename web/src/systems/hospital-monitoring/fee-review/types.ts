/** Shapes of the fee-review API (server: systems/hospital-monitoring/fee-review). */
export type CaseStatus = 'uploaded' | 'under_review' | 'concluded';
export type Conclusion = 'reasonable' | 'partly_reasonable' | 'unreasonable';
export type FindingResult = 'compliant' | 'issue' | 'not_applicable';

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

export interface Dimension {
  code: string;
  title: string;
  description: string | null;
  sortOrder: number;
  active: boolean;
}

export interface SectionDef {
  code: string;
  title: string;
  aliases: string[];
  sortOrder: number;
  active: boolean;
}

export interface FeeCase {
  id: number;
  institutionId: number;
  institutionName: string;
  districtCode: string;
  caseNo: string;
  patientMask: string | null;
  dischargedOn: string | null;
  totalAmount: number | null;
  deviationKind: 'high' | 'low' | null;
  explanation: string;
  filename: string;
  pdfBytes: number;
  pageCount: number | null;
  status: CaseStatus;
  statusTitle: string;
  uploadedBy: string;
  uploadedAt: string;
  reviewer: string | null;
  reviewStartedAt: string | null;
  conclusion: Conclusion | null;
  conclusionTitle: string | null;
  conclusionNote: string | null;
  concludedAt: string | null;
  sections: { code: string; title: string }[];
}

export interface FeeCaseDetail extends Omit<FeeCase, 'sections'> {
  sections: { code: string; title: string; heading: string | null; text: string }[];
  textLength: number;
  findings: { dimensionCode: string; dimensionTitle: string; result: FindingResult; resultTitle: string; note: string | null }[];
  dimensions: Dimension[];
  actions: ('start_review' | 'conclude')[];
}

export interface Counts {
  total: number;
  uploaded: number;
  underReview: number;
  concluded: number;
  reasonable: number;
  partlyReasonable: number;
  unreasonable: number;
}

export interface FeeReviewStats {
  totals: Counts;
  byInstitution: (Counts & { institutionId: number; institutionName: string })[];
  byDimension: { code: string; title: string; reviewed: number; issues: number; issueRate: number | null }[];
  byMonth: (Counts & { month: string })[];
}
