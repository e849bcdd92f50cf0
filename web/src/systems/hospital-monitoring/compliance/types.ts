/** Shapes of /api/v1/compliance/* (server/src/systems/hospital-monitoring/compliance). */

export interface CategoryCard {
  category: string;
  title: string;
  cases: number;
  monthCases: number;
  max: { month: string; cases: number };
  min: { month: string; cases: number };
  mom: number | null;
  yoy: number | null;
}

export interface Summary {
  month: string;
  months: string[];
  /** Today, while the reference month is still running: 同比/环比 then compare days 1 … today. */
  through: string | null;
  cards: CategoryCard[];
}

export interface Finding {
  id: number;
  ruleId: number;
  ruleVersion: number;
  ruleTitle: string;
  category: string;
  categoryTitle: string;
  source: string;
  objectKey: string;
  institutionId: number;
  institution: string | null;
  departmentId: number | null;
  department: string | null;
  practitionerId: number | null;
  practitioner: string | null;
  patient: string | null;
  items: string | null;
  amount: number | null;
  foundOn: string;
  detail: Record<string, unknown>;
  reason: string;
}

export interface FindingDetail extends Finding {
  encounter: {
    id: number;
    kind: string;
    admittedOn: string;
    dischargedOn: string | null;
    patient: string | null;
    institution: string | null;
    department: string | null;
    practitioner: string | null;
    feeLines: { id: number; itemCode: string; itemName: string; category: string; qty: number; unitPrice: number; amount: number; chargedOn: string }[];
    diagnoses: { id: number; icdCode: string; icdName: string; isPrimary: boolean }[];
    procedures: { id: number; procedureName: string; surgeryGrade: number | null; techCode: string | null; performedOn: string; surgeon: string | null }[];
  } | null;
}

export interface RuleTree {
  source: string;
  when: unknown;
  select?: { name: string; title?: string; expr: unknown }[];
}

export interface ComplianceRule {
  id: number;
  code: string | null;
  category: string;
  categoryTitle: string;
  title: string;
  enabled: boolean;
  version: number;
  builtin: boolean;
  source: string;
  sentence: string;
  rule: RuleTree;
  sql?: string;
}

export interface CatalogField {
  name: string;
  title: string;
  type: string;
  typeTitle: string;
  codes?: { code: string; label: string }[];
}

export interface BuilderCatalog {
  categories: { code: string; title: string }[];
  sources: { name: string; title: string; fields: CatalogField[] }[];
}

export interface Preview {
  sentence: string;
  window: { from: string; to: string } | null;
  total: number;
  samples: { key: string; values: Record<string, unknown>; institution: string | null; practitioner: string | null; patient: string | null; items: string | null; amount: number | null; foundOn: string }[];
}

export interface ComplianceRun {
  id: number;
  mode: 'full' | 'incremental';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  requestedBy: string;
  hits: number;
  inserted: number;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  rules: { ruleId: number; title: string; version: number; hits: number; inserted: number; ms: number; error: string | null }[];
  ruleSetId?: number | null;
  ruleSetName?: string | null;
  trigger?: 'manual' | 'schedule';
  progressDone?: number | null;
  progressTotal?: number | null;
}

/** 规则集: rules run together on a cron schedule or on demand. */
export interface RuleSet {
  id: number;
  name: string;
  description: string | null;
  ruleIds: number[];
  cron: string | null;
  strategy: 'full' | 'incremental';
  online: boolean;
  nextRunAt: string | null;
  updatedBy: string;
  updatedAt: string;
  rules: { id: number; title: string; enabled: boolean }[];
  lastRun: { id: number; status: ComplianceRun['status']; mode: string; trigger: string; hits: number; inserted: number; startedAt: string | null; finishedAt: string | null } | null;
}

export const SOURCE_TITLE: Record<string, string> = { fee_line: '收费明细', procedure: '手术操作', diagnosis: '诊断', encounter: '就诊' };
export const KIND_TITLE: Record<string, string> = { outpatient: '门诊', inpatient: '住院', emergency: '急诊' };

// ---------------------------------------------------------------- disposal orders (处置单)

export type DisposalStatus = 'draft' | 'dispatched' | 'explained' | 'evaluated' | 'closed';
export type DisposalAction = 'dispatch' | 'explain' | 'evaluate' | 'close';

export const DISPOSAL_STATUS_COLOR: Record<DisposalStatus, string> = {
  draft: 'default',
  dispatched: 'processing',
  explained: 'gold',
  evaluated: 'purple',
  closed: 'success',
};
export const EVALUATION_TITLE: Record<string, string> = { reasonable: '合理', unreasonable: '不合理', partly_reasonable: '部分合理' };
export const ACTION_TITLE: Record<string, string> = { create: '生成', dispatch: '下发', explain: '说明', evaluate: '评价', close: '归档' };

export interface Disposal {
  id: number;
  institutionId: number;
  institution: string | null;
  districtCode: string;
  title: string;
  dueOn: string;
  status: DisposalStatus;
  statusTitle: string;
  overdue: boolean;
  findingCount: number;
  createdBy: string;
  createdAt: string;
  dispatchedBy: string | null;
  dispatchedAt: string | null;
  explanation: string | null;
  attachments: { name: string; url?: string }[];
  explainedBy: string | null;
  explainedAt: string | null;
  evaluation: string | null;
  evaluationResult: string | null;
  evaluatedBy: string | null;
  evaluatedAt: string | null;
  closeNote: string | null;
  closedBy: string | null;
  closedAt: string | null;
}

export interface DisposalDetail extends Disposal {
  findings: { id: number; category: string; ruleTitle: string; patient: string | null; items: string | null; amount: number | null; foundOn: string }[];
  timeline: { id: number; action: string; from: string | null; to: string; actor: string; actorName: string | null; actorRole: string | null; note: string | null; at: string }[];
  actions: DisposalAction[];
}

export interface DisposalBoard {
  states: { status: DisposalStatus; title: string; count: number; overdue: number }[];
  total: number;
  overdue: number;
}
