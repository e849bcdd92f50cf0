import { type Static, type TProperties, Type } from '@sinclair/typebox';
import { DateText, enumOf, Id, nullable } from '../../../platform/http/schema.ts';
import { AbnormalSigningReport } from '../family-doctor/responses.ts';

/**
 * The responses of the fd-supervision routes (declared once: server serialisation, OpenAPI, console types).
 * The reports share one shape: `columns` say which metrics a row holds, so a row is its group (key, name,
 * drill-down) plus one number per column key (percentages may be null: nothing to divide by).
 */

const Count = Type.Integer({ minimum: 0 });
/** A metric: a count, or a percentage 0–100 with one decimal (null when there is nothing to divide by). */
const Metric = nullable(Type.Number());

export const Column = Type.Object({ key: Type.String(), title: Type.String(), percent: Type.Optional(Type.Boolean()) });
export type Column = Static<typeof Column>;
export const DrillInput = Type.Object({ district: Type.Optional(Type.String()), institutionId: Type.Optional(Id), doctorId: Type.Optional(Id) });
export type DrillInput = Static<typeof DrillInput>;
const Level = enumOf(['district', 'institution', 'doctor'] as const);

/** A report row as the console reads it: the group, its drill-down, one metric per column key (and a text column such as the date). */
export type ReportRow = { key: string; name: string; next: DrillInput | null; [metric: string]: unknown };

/** A report: its rows keyed by the metric columns, the 合计 line, and what the report adds (period, date …). */
function reportOf<E extends TProperties, R extends TProperties>(extra: E, rowExtra: R) {
  const Row = Type.Unsafe<ReportRow>(
    Type.Object({ key: Type.String(), name: Type.String(), next: nullable(DrillInput), ...rowExtra }, { additionalProperties: Metric }),
  );
  return Type.Object({
    title: Type.String(),
    level: Level,
    levelTitle: Type.String(),
    columns: Type.Array(Column),
    rows: Type.Array(Row),
    total: Type.Record(Type.String(), Metric),
    ...extra,
  });
}
const Period = { from: DateText, to: DateText };

export const DailyReport = reportOf({ date: DateText }, {});
export type DailyReport = Static<typeof DailyReport>;
export const TerminationReport = reportOf(Period, { date: DateText });
export type TerminationReport = Static<typeof TerminationReport>;
export const RenewalReport = reportOf(Period, {});
export type RenewalReport = Static<typeof RenewalReport>;
export const RenewalDynamics = reportOf({}, { month: Type.String() });
export type RenewalDynamics = Static<typeof RenewalDynamics>;
export const KpRenewalReport = reportOf({ tag: nullable(Type.String()) }, {});
export type KpRenewalReport = Static<typeof KpRenewalReport>;
export const VisitRateReport = reportOf(Period, {});
export type VisitRateReport = Static<typeof VisitRateReport>;
/** Any of the reports (what the drill-down table shows). */
export type Report = DailyReport | TerminationReport | RenewalReport | RenewalDynamics | KpRenewalReport | VisitRateReport;

/** The kept history: one line per generated day with the daily columns' totals. */
export const DailyHistory = Type.Object({
  ...Period,
  columns: Type.Array(Column),
  /** The daily columns' totals of each day (daily.ts SUMS). */
  days: Type.Array(
    Type.Object({
      date: DateText,
      signed: Count,
      green: Count,
      yellow: Count,
      red: Count,
      signed_new: Count,
      terminated: Count,
      transferred: Count,
      renewed: Count,
      renewed_yellow: Count,
      renewed_green: Count,
      not_renewed: Count,
    }),
  ),
});
export type DailyHistory = Static<typeof DailyHistory>;

export const RenewalRecord = Type.Object({
  eventId: Id,
  contractId: Id,
  onDate: DateText,
  personName: nullable(Type.String()),
  idNumberMasked: nullable(Type.String()),
  institutionName: Type.String(),
  doctorName: Type.String(),
  years: Type.Integer(),
  operatorName: nullable(Type.String()),
});
export type RenewalRecord = Static<typeof RenewalRecord>;
export const RenewalHistory = Type.Object({ ...Period, total: Count, items: Type.Array(RenewalRecord) });
export type RenewalHistory = Static<typeof RenewalHistory>;

export const WorkloadRow = Type.Object({
  operatorName: Type.String(),
  renewals: Count,
  residents: Count,
  flexible: Count,
  firstOn: DateText,
  lastOn: DateText,
});
export type WorkloadRow = Static<typeof WorkloadRow>;
export const RenewalWorkload = Type.Object({ ...Period, items: Type.Array(WorkloadRow) });
export type RenewalWorkload = Static<typeof RenewalWorkload>;

/** 异常重复签约: family-doctor's report as it is. */
export { AbnormalSigningReport };

export const SnapshotQueued = Type.Object({ runId: Id, existing: Type.Boolean(), date: DateText });
export type SnapshotQueued = Static<typeof SnapshotQueued>;
