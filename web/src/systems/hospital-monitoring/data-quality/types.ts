export interface Anomaly {
  id: number;
  ruleId: number;
  ruleTitle: string;
  kind: string;
  kindTitle: string;
  severity: string;
  severityTitle: string;
  source: string;
  sourceTitle: string;
  objectKey: string;
  institutionId: number;
  institutionName: string | null;
  districtCode: string;
  field: string;
  fieldTitle: string;
  fieldType: 'date' | 'integer' | 'string';
  currentValue: string | null;
  suggestedValue: string | null;
  suggestion: string;
  status: 'open' | 'fixed' | 'closed';
  statusTitle: string;
  foundAt: string;
  fixedAt: string | null;
  fixedBy: string | null;
  closedAt: string | null;
}

export interface AnomalyDetail extends Anomaly {
  corrections: { id: number; field: string; before: string | null; after: string | null; note: string | null; by: string; at: string }[];
}

export interface Counts {
  open: number;
  fixed: number;
  closed: number;
}

export interface Summary {
  totals: Counts;
  byKind: (Counts & { kind: string; title: string })[];
  byInstitution: (Counts & { institutionId: number; institutionName: string; districtCode: string })[];
  byRule: (Counts & { ruleId: number; title: string; kind: string; kindTitle: string; severityTitle: string; suggestion: string })[];
  lastCheck: { id: number; status: string; finished_at: string | null; found: number; opened: number; closed: number } | null;
}

export interface DqRule {
  id: number;
  code: string | null;
  kind: string;
  kindTitle: string;
  title: string;
  source: string;
  field: string;
  sentence: string;
  suggestion: string;
  severityTitle: string;
  enabled: boolean;
  builtin: boolean;
}
