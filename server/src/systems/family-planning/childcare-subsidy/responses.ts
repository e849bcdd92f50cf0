import { type Static, Type } from '@sinclair/typebox';
import { DateText, enumOf, Id, Instant, nullable, PageOf } from '../../../platform/http/schema.ts';

/** code → Chinese title (reasons, statuses, stages): the console shows the title beside the stored code. */
const Titles = Type.Record(Type.String(), Type.String());
const Count = Type.Integer({ minimum: 0 });

// ———————————————— policy and screening ————————————————

export const SubsidyPolicy = Type.Object({
  startDate: DateText,
  maxAgeYears: Type.Integer(),
  version: Type.Integer(),
  updatedBy: nullable(Type.String()),
  updatedAt: Instant,
  /** The screening rule in words (platform/rules describeRule). */
  ruleText: Type.String(),
  reasons: Titles,
});
export type SubsidyPolicy = Static<typeof SubsidyPolicy>;

export const RunCounts = Type.Object({
  total: Count,
  eligible: Count,
  excluded: Count,
  prefillComplete: Count,
  prefillIncomplete: Count,
  byReason: Type.Record(Type.String(), Count),
  missingByField: Type.Record(Type.String(), Count),
});
export type RunCounts = Static<typeof RunCounts>;

/** A screening run (one result version); counts inside the caller's scope, null until it succeeded. */
export const ScreeningRun = Type.Object({
  id: Id,
  mode: enumOf(['full', 'incremental'] as const),
  status: Type.String(),
  asOf: nullable(DateText),
  baseRunId: nullable(Id),
  judged: nullable(Count),
  carried: nullable(Count),
  ruleText: nullable(Type.String()),
  requestedBy: nullable(Type.String()),
  error: nullable(Type.String()),
  createdAt: Instant,
  finishedAt: nullable(Instant),
  counts: Type.Union([RunCounts, Type.Null()]),
});
export type ScreeningRun = Static<typeof ScreeningRun>;
export const ScreeningRunPage = PageOf(ScreeningRun);
export type ScreeningRunPage = Static<typeof ScreeningRunPage>;
export const LatestScreening = Type.Object({ run: Type.Union([ScreeningRun, Type.Null()]), reasons: Titles });
export type LatestScreening = Static<typeof LatestScreening>;

/** POST /screenings: the run queued, or the same screening already pending (existing). */
export const ScreeningQueued = Type.Object({ runId: Id, jobRunId: Id, existing: Type.Boolean() });
export type ScreeningQueued = Static<typeof ScreeningQueued>;

export const MissingField = Type.Object({ field: Type.String(), title: Type.String(), reason: Type.String() });
export type MissingField = Static<typeof MissingField>;

/** One screened child, masked, with the reasons it was excluded and what the pre-fill lacks. */
export const Candidate = Type.Object({
  childPersonId: Id,
  districtCode: nullable(Type.String()),
  nameMasked: Type.String(),
  idNumberMasked: nullable(Type.String()),
  birthDate: DateText,
  eligible: Type.Boolean(),
  reasons: Type.Array(Type.String()),
  problems: Type.Array(Type.String()),
  birthOrder: nullable(Type.Integer()),
  judged: Type.Boolean(),
  prefillComplete: nullable(Type.Boolean()),
  prefillMissing: Type.Array(MissingField),
});
export type Candidate = Static<typeof Candidate>;
export const CandidatePage = PageOf(Candidate);
export type CandidatePage = Static<typeof CandidatePage>;

export const FieldRequirement = Type.Object({ field: Type.String(), title: Type.String(), required: Type.Boolean() });
export type FieldRequirement = Static<typeof FieldRequirement>;
export const FieldRequirements = Type.Object({ items: Type.Array(FieldRequirement) });
export type FieldRequirements = Static<typeof FieldRequirements>;

// ———————————————— applications ————————————————

export const SmsSent = Type.Object({ runId: Id, sent: Count });
export type SmsSent = Static<typeof SmsSent>;

/** What the parent sees behind the SMS link (masked). */
export const ConfirmationSummary = Type.Object({
  childNameMasked: Type.String(),
  birthOrder: nullable(Type.Integer()),
  amountYuan: Type.Integer(),
  bankAccountMasked: nullable(Type.String()),
  status: Type.String(),
  statusTitle: Type.String(),
  confirmed: Type.Boolean(),
  expiresAt: Instant,
});
export type ConfirmationSummary = Static<typeof ConfirmationSummary>;
/** After the parent confirms: the summary and why it went to manual review (titles; none when approved). */
export const ConfirmationResult = Type.Object({ ...ConfirmationSummary.properties, reviewReasons: Type.Array(Type.String()) });
export type ConfirmationResult = Static<typeof ConfirmationResult>;

export const Application = Type.Object({
  id: Id,
  districtCode: nullable(Type.String()),
  childNameMasked: Type.String(),
  birthOrder: nullable(Type.Integer()),
  amountYuan: Type.Integer(),
  bankAccountMasked: nullable(Type.String()),
  status: Type.String(),
  statusTitle: Type.String(),
  reviewReasons: Type.Array(Type.String()),
  decidedBy: nullable(Type.String()),
  decidedAt: nullable(Instant),
  decisionNote: nullable(Type.String()),
  confirmedAt: nullable(Instant),
  linkExpiresAt: Instant,
  createdAt: Instant,
  syncQueuedAt: nullable(Instant),
  nationalStatus: nullable(Type.String()),
  nationalStatusTitle: nullable(Type.String()),
  nationalReason: nullable(Type.String()),
  nationalId: nullable(Type.String()),
});
export type Application = Static<typeof Application>;
export const ApplicationPage = PageOf(Application, { byStatus: Type.Record(Type.String(), Count), statusTitles: Titles });
export type ApplicationPage = Static<typeof ApplicationPage>;

// ———————————————— national system: sync and reconciliation ————————————————

export const SyncStatus = Type.Object({
  counts: Type.Object({
    not_queued: Count,
    uploading: Count,
    upload_failed: Count,
    accepted: Count,
    paid: Count,
    rejected: Count,
    approved: Count,
  }),
  feedback: Type.Object({ lastSeq: Type.Integer(), polledAt: nullable(Instant), lastError: nullable(Type.String()) }),
  statusTitles: Titles,
});
export type SyncStatus = Static<typeof SyncStatus>;

export const SyncQueued = Type.Object({ jobRunId: Id, existing: Type.Boolean() });
export type SyncQueued = Static<typeof SyncQueued>;
export const ReconciliationQueued = Type.Object({ id: Id, jobRunId: Id, existing: Type.Boolean() });
export type ReconciliationQueued = Static<typeof ReconciliationQueued>;

export const Reconciliation = Type.Object({
  id: Id,
  status: Type.String(),
  /** City-level totals over both systems: null for a district user. */
  ours: nullable(Count),
  theirs: nullable(Count),
  matched: nullable(Count),
  mismatches: Type.Record(Type.String(), Count),
  requestedBy: nullable(Type.String()),
  error: nullable(Type.String()),
  createdAt: Instant,
  finishedAt: nullable(Instant),
});
export type Reconciliation = Static<typeof Reconciliation>;
export const ReconciliationPage = PageOf(Reconciliation, { kindTitles: Titles });
export type ReconciliationPage = Static<typeof ReconciliationPage>;

export const ReconciliationItem = Type.Object({
  applicationId: Id,
  kind: enumOf(['missing_theirs', 'missing_ours', 'status_differs'] as const),
  kindTitle: Type.String(),
  oursStatus: nullable(Type.String()),
  theirsStatus: nullable(Type.String()),
  theirsReason: nullable(Type.String()),
  districtCode: nullable(Type.String()),
});
export type ReconciliationItem = Static<typeof ReconciliationItem>;
export const ReconciliationItemPage = PageOf(ReconciliationItem);
export type ReconciliationItemPage = Static<typeof ReconciliationItemPage>;

// ———————————————— monitoring ————————————————

export const MonitorStage = enumOf(['screened', 'prefilled', 'sms_sent', 'confirmed', 'approved', 'synced'] as const);
export type MonitorStage = Static<typeof MonitorStage>;

export const FunnelRow = Type.Object({ day: DateText, districtCode: nullable(Type.String()), stage: MonitorStage, ok: Count, failed: Count, pending: Count });
export type FunnelRow = Static<typeof FunnelRow>;
export const StageTotal = Type.Object({
  stage: MonitorStage,
  title: Type.String(),
  failureTitle: Type.String(),
  ok: Count,
  failed: Count,
  pending: Count,
  /** ok / (ok + failed); null without finished cases. */
  successRate: nullable(Type.Number()),
  /** ok of this stage / ok of the stage before (conversion). */
  conversion: nullable(Type.Number()),
});
export type StageTotal = Static<typeof StageTotal>;
export const Threshold = Type.Object({ stage: MonitorStage, maxFailureRate: Type.Number(), minVolume: Type.Integer() });
export type Threshold = Static<typeof Threshold>;

export const Funnel = Type.Object({
  from: DateText,
  to: DateText,
  stages: Type.Array(StageTotal),
  rows: Type.Array(FunnelRow),
  thresholds: Type.Array(Threshold),
  stageTitles: Titles,
  failureTitles: Titles,
});
export type Funnel = Static<typeof Funnel>;
export const Thresholds = Type.Object({ items: Type.Array(Threshold), stageTitles: Titles });
export type Thresholds = Static<typeof Thresholds>;

export const MonitorAlert = Type.Object({
  id: Id,
  stage: MonitorStage,
  stageTitle: Type.String(),
  districtCode: nullable(Type.String()),
  day: DateText,
  failed: Count,
  total: Count,
  failureRate: Type.Number(),
  threshold: Type.Number(),
  notified: Count,
  createdAt: Instant,
});
export type MonitorAlert = Static<typeof MonitorAlert>;
export const MonitorAlertPage = PageOf(MonitorAlert);
export type MonitorAlertPage = Static<typeof MonitorAlertPage>;
