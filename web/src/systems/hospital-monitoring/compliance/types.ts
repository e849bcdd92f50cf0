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
}

export const SOURCE_TITLE: Record<string, string> = { fee_line: '收费明细', procedure: '手术操作', diagnosis: '诊断', encounter: '就诊' };
export const KIND_TITLE: Record<string, string> = { outpatient: '门诊', inpatient: '住院', emergency: '急诊' };
