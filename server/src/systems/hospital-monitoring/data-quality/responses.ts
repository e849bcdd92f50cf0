import { type Static, Type } from '@sinclair/typebox';
import { enumOf, Id, Instant, nullable, PageOf } from '../../../platform/http/schema.ts';

/** Responses of 多源数据自检与校验 (anomalies.ts, correct.ts, rules.ts, run.ts, report.ts). */

export const AnomalyStatus = enumOf(['open', 'fixed', 'closed'] as const);
/** The rule kinds (definition.ts KINDS). */
export const DqKind = enumOf(['completeness', 'format', 'logic', 'reference'] as const);
export const Severity = enumOf(['high', 'medium', 'low'] as const);

export const Anomaly = Type.Object({
  id: Id,
  ruleId: Id,
  ruleTitle: Type.String(),
  kind: DqKind,
  kindTitle: Type.String(),
  severity: Severity,
  severityTitle: Type.String(),
  source: Type.String(),
  sourceTitle: Type.String(),
  objectKey: Type.String(),
  institutionId: Id,
  institutionName: nullable(Type.String()),
  districtCode: Type.String(),
  field: Type.String(),
  fieldTitle: Type.String(),
  fieldType: enumOf(['date', 'integer', 'string'] as const),
  currentValue: nullable(Type.String()),
  suggestedValue: nullable(Type.String()),
  suggestion: Type.String(),
  status: AnomalyStatus,
  statusTitle: Type.String(),
  foundAt: Instant,
  fixedAt: nullable(Instant),
  fixedBy: nullable(Type.String()),
  closedAt: nullable(Instant),
});
export type Anomaly = Static<typeof Anomaly>;
export const AnomalyList = PageOf(Anomaly);
export const AnomalyDetail = Type.Object({
  ...Anomaly.properties,
  corrections: Type.Array(
    Type.Object({
      id: Id,
      field: Type.String(),
      before: nullable(Type.String()),
      after: nullable(Type.String()),
      note: nullable(Type.String()),
      by: Type.String(),
      at: Instant,
    }),
  ),
});
export type AnomalyDetail = Static<typeof AnomalyDetail>;

const CountFields = { open: Type.Integer(), fixed: Type.Integer(), closed: Type.Integer() };
export const Counts = Type.Object(CountFields);
export type Counts = Static<typeof Counts>;

/** A check run as stored (snake_case: the run table's columns). */
export const CheckRun = Type.Object({
  id: Id,
  status: Type.String(),
  requested_by: Type.String(),
  rules: Type.Integer(),
  found: Type.Integer(),
  opened: Type.Integer(),
  closed: Type.Integer(),
  started_at: nullable(Instant),
  finished_at: nullable(Instant),
  created_at: Instant,
});
export type CheckRun = Static<typeof CheckRun>;
export const CheckRunList = Type.Object({ items: Type.Array(CheckRun) });
export const CheckRequested = Type.Object({ runId: Id, jobRunId: Id, existing: Type.Boolean() });

export const Summary = Type.Object({
  totals: Counts,
  byKind: Type.Array(Type.Object({ kind: DqKind, title: Type.String(), ...CountFields })),
  byInstitution: Type.Array(Type.Object({ institutionId: Id, institutionName: Type.String(), districtCode: Type.String(), ...CountFields })),
  byRule: Type.Array(
    Type.Object({
      ruleId: Id,
      title: Type.String(),
      kind: DqKind,
      kindTitle: Type.String(),
      severityTitle: Type.String(),
      suggestion: Type.String(),
      ...CountFields,
    }),
  ),
  lastCheck: nullable(CheckRun),
});
export type Summary = Static<typeof Summary>;

export const DqRule = Type.Object({
  id: Id,
  code: nullable(Type.String()),
  kind: DqKind,
  kindTitle: Type.String(),
  title: Type.String(),
  source: Type.String(),
  field: Type.String(),
  sentence: Type.String(),
  suggestion: Type.String(),
  severity: Severity,
  severityTitle: Type.String(),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  builtin: Type.Boolean(),
  definition: Type.Object({
    /** Rule-engine expressions (platform/rules Expr trees): open JSON here. */
    when: Type.Unknown(),
    pattern: Type.Optional(Type.String()),
    normalize: Type.Optional(enumOf(['upper-trim', 'icd'] as const)),
    suggest: Type.Optional(Type.Unknown()),
  }),
  updatedAt: Instant,
});
export type DqRule = Static<typeof DqRule>;
export const DqRuleList = Type.Object({ items: Type.Array(DqRule) });
export type DqRuleList = Static<typeof DqRuleList>;
