/** Shapes of /api/v1/compliance/* come from the server's declarations; the labels and colours are the console's. */
import type {
  BuilderCatalog,
  CatalogField,
  CategoryCard,
  ComplianceRule,
  ComplianceRun,
  Disposal,
  DisposalAction,
  DisposalBoard,
  DisposalDetail,
  DisposalStatus,
  Finding,
  FindingDetail,
  Preview,
  RuleDetail,
  RuleSet,
  RuleTree,
  Summary,
} from '@server/systems/hospital-monitoring/compliance/responses.ts';

export type {
  BuilderCatalog,
  CatalogField,
  CategoryCard,
  ComplianceRule,
  ComplianceRun,
  Disposal,
  DisposalAction,
  DisposalBoard,
  DisposalDetail,
  DisposalStatus,
  Finding,
  FindingDetail,
  Preview,
  RuleDetail,
  RuleSet,
  RuleTree,
  Summary,
};

export const SOURCE_TITLE: Record<string, string> = { fee_line: '收费明细', procedure: '手术操作', diagnosis: '诊断', encounter: '就诊' };
export const KIND_TITLE: Record<string, string> = { outpatient: '门诊', inpatient: '住院', emergency: '急诊' };

// ---------------------------------------------------------------- disposal orders (处置单)

export const DISPOSAL_STATUS_COLOR: Record<DisposalStatus, string> = {
  draft: 'default',
  dispatched: 'processing',
  explained: 'gold',
  evaluated: 'purple',
  closed: 'success',
};
export const EVALUATION_TITLE: Record<string, string> = { reasonable: '合理', unreasonable: '不合理', partly_reasonable: '部分合理' };
export const ACTION_TITLE: Record<string, string> = { create: '生成', dispatch: '下发', explain: '说明', evaluate: '评价', close: '归档' };
