import { type Static, Type } from '@sinclair/typebox';
import { DateText, enumOf, Id, Instant, nullable, PageOf } from '../../../platform/http/schema.ts';

/** Responses of 出生监测信息核实 (tasks.ts, approve.ts, assist.ts, stats.ts, daily-intake.ts, field-map-routes.ts, household-prefill.ts, deaths.ts, cloud-feedback.ts, query.ts). */

const Paged = { page: Type.Integer(), pageSize: Type.Integer() };
export const TaskStatus = enumOf(['pending', 'assisting', 'approved', 'rejected'] as const);
export const Decision = enumOf(['confirmed', 'corrected', 'invalid'] as const);
const Sex = enumOf(['M', 'F', 'U'] as const);

/** A pre-check problem (code: precheck.ts CHECK_TITLE; block: must be fixed or overridden). */
export const Finding = Type.Object({ code: Type.String(), severity: enumOf(['block', 'warn'] as const), message: Type.String() });
export type Finding = Static<typeof Finding>;

/** What an approval did about a newborn the population index did not know (newborn.ts). */
export const NewbornOutcome = Type.Object({
  status: enumOf(['created', 'linked', 'pending_hukou'] as const),
  statusTitle: Type.String(),
  personId: nullable(Id),
  message: Type.String(),
});
export type NewbornOutcome = Static<typeof NewbornOutcome>;

/** What the decision recorded: the corrections made, the findings at the time, the override reason and what was written. */
export const TaskResult = Type.Object({
  corrections: Type.Object({
    childName: Type.Optional(Type.String()),
    childSex: Type.Optional(enumOf(['M', 'F'] as const)),
    birthDate: Type.Optional(DateText),
    claimedBirthOrder: Type.Optional(Type.Integer()),
    fatherName: Type.Optional(Type.String()),
  }),
  findings: Type.Array(Finding),
  overrideReason: nullable(Type.String()),
  birthRecordId: nullable(Id),
  newborn: nullable(NewbornOutcome),
});
export type TaskResult = Static<typeof TaskResult>;

export const Task = Type.Object({
  id: Id,
  taskNo: Type.String(),
  certificateNo: Type.String(),
  status: TaskStatus,
  statusTitle: Type.String(),
  version: Type.Integer(),
  verifyRound: Type.Integer(),
  sourceDate: DateText,
  districtCode: Type.String(),
  streetCode: Type.String(),
  streetName: nullable(Type.String()),
  childName: Type.String(),
  childSex: nullable(Sex),
  birthDate: DateText,
  birthWeight: nullable(Type.Number()),
  hospital: nullable(Type.String()),
  claimedBirthOrder: nullable(Type.Integer()),
  address: nullable(Type.String()),
  childPersonId: nullable(Id),
  motherName: Type.String(),
  motherIdMasked: Type.String(),
  motherIdType: Type.String(),
  /** 证件类型 (居民身份证, 港澳台居民居住证, 通行证, 外国人永久居留身份证, 护照). */
  motherIdTypeTitle: Type.String(),
  motherPersonId: nullable(Id),
  fatherName: nullable(Type.String()),
  fatherIdMasked: nullable(Type.String()),
  fatherIdType: nullable(Type.String()),
  fatherIdTypeTitle: nullable(Type.String()),
  fatherPersonId: nullable(Id),
  findings: Type.Array(Finding),
  blockingCount: Type.Integer(),
  precheckAt: nullable(Instant),
  decision: nullable(Decision),
  decisionTitle: nullable(Type.String()),
  decisionNote: nullable(Type.String()),
  decidedBy: nullable(Type.String()),
  decidedAt: nullable(Instant),
  result: nullable(TaskResult),
});
export type Task = Static<typeof Task>;
export const TaskList = PageOf(Task, { ...Paged, byStatus: Type.Record(Type.String(), Type.Integer()) });
export type TaskList = Static<typeof TaskList>;

/** One step of a task's history (snake_case: the event table's columns); detail: what the step recorded, free-form by action. */
export const HistoryEvent = Type.Object({
  id: Id,
  action: Type.String(),
  actionTitle: Type.String(),
  from_status: nullable(Type.String()),
  to_status: nullable(Type.String()),
  version: Type.Integer(),
  verify_round: Type.Integer(),
  actor: Type.String(),
  note: nullable(Type.String()),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  at: Instant,
});
export type HistoryEvent = Static<typeof HistoryEvent>;

export const Assist = Type.Object({
  id: Id,
  taskId: Id,
  status: enumOf(['requested', 'replied', 'accepted', 'closed'] as const),
  statusTitle: Type.String(),
  round: Type.Integer(),
  fromStreet: Type.String(),
  fromStreetName: nullable(Type.String()),
  toStreet: Type.String(),
  toStreetName: nullable(Type.String()),
  question: Type.String(),
  /** What the asked street sees of the task (no identity beyond masks). */
  snapshot: Type.Object({
    taskNo: Type.String(),
    childName: Type.String(),
    childSex: nullable(Sex),
    birthDate: DateText,
    motherName: Type.String(),
    motherIdMasked: Type.String(),
    fatherNameMasked: nullable(Type.String()),
    address: nullable(Type.String()),
  }),
  replyResult: nullable(enumOf(['confirmed', 'not_found', 'moved', 'other'] as const)),
  replyResultTitle: nullable(Type.String()),
  replyNote: nullable(Type.String()),
  repliedBy: nullable(Type.String()),
  repliedAt: nullable(Instant),
  handledNote: nullable(Type.String()),
  handledBy: nullable(Type.String()),
  handledAt: nullable(Instant),
  requestedBy: Type.String(),
  createdAt: Instant,
});
export type Assist = Static<typeof Assist>;
export const AssistList = PageOf(Assist, Paged);

export const TaskDetail = Type.Object({ task: Task, history: Type.Array(HistoryEvent), assists: Type.Array(Assist) });
export type TaskDetail = Static<typeof TaskDetail>;

/** One field of the approval form, filled from the population index (or the 市妇幼 record when the index has none). */
export const PrefillField = Type.Object({
  key: Type.String(),
  title: Type.String(),
  value: Type.Union([Type.String(), Type.Number(), Type.Null()]),
  origin: enumOf(['population', 'mch'] as const),
  sourceValue: Type.Union([Type.String(), Type.Number(), Type.Null()]),
  differs: Type.Boolean(),
});
export type PrefillField = Static<typeof PrefillField>;
export const TaskPrefill = Type.Object({ taskId: Id, fields: Type.Array(PrefillField), birthOrderExplanation: nullable(Type.String()) });
export type TaskPrefill = Static<typeof TaskPrefill>;

/** One row of the 公安 报出生户口 side-by-side view; `fillable` rows are corrections the worker can adopt. */
export const HouseholdField = Type.Object({
  key: enumOf(['childName', 'childSex', 'birthDate', 'motherName', 'fatherName'] as const),
  title: Type.String(),
  taskValue: nullable(Type.String()),
  policeValue: nullable(Type.String()),
  fillValue: nullable(Type.String()),
  differs: Type.Boolean(),
  fillable: Type.Boolean(),
});
export type HouseholdField = Static<typeof HouseholdField>;
export const HouseholdPrefill = Type.Object({
  taskId: Id,
  found: Type.Boolean(),
  message: Type.String(),
  record: nullable(
    Type.Object({
      regNo: Type.String(),
      month: Type.String(),
      childIdMasked: nullable(Type.String()),
      registeredOn: nullable(DateText),
      policeCode: Type.String(),
      policeName: Type.String(),
      hukouStreetCode: nullable(Type.String()),
      hukouStreetName: nullable(Type.String()),
      hukouDistrictCode: nullable(Type.String()),
      motherIdMasked: nullable(Type.String()),
      fatherIdMasked: nullable(Type.String()),
      matchedBy: enumOf(['certificate', 'name_birth_mother'] as const),
      matchedByTitle: Type.String(),
    }),
  ),
  fields: Type.Array(HouseholdField),
});
export type HouseholdPrefill = Static<typeof HouseholdPrefill>;

const StatCounts = {
  total: Type.Integer(),
  pending: Type.Integer(),
  assisting: Type.Integer(),
  approved: Type.Integer(),
  rejected: Type.Integer(),
  withProblems: Type.Integer(),
  reverified: Type.Integer(),
  assisted: Type.Integer(),
  completionRate: Type.Number(),
};
export const StatsRow = Type.Object({ key: Type.String(), name: Type.String(), ...StatCounts });
export type StatsRow = Static<typeof StatsRow>;
export const Stats = Type.Object({ groupBy: enumOf(['street', 'district', 'day'] as const), items: Type.Array(StatsRow), totals: Type.Object(StatCounts) });
export type Stats = Static<typeof Stats>;

export const IntakeRequested = Type.Object({ jobRunId: Id, existing: Type.Boolean() });
export const IntakeBatch = Type.Object({
  id: Id,
  sourceDate: DateText,
  status: enumOf(['running', 'done', 'failed'] as const),
  fetched: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  deaths: Type.Integer(),
  deathsRecorded: Type.Integer(),
  error: nullable(Type.String()),
  requestedBy: nullable(Type.String()),
  startedAt: Instant,
  finishedAt: nullable(Instant),
});
export type IntakeBatch = Static<typeof IntakeBatch>;
export const IntakeBatchList = PageOf(IntakeBatch, Paged);

/** A 市妇幼 record the cleaning refused: the record as received (identity numbers masked) and why. */
export const RejectedRecord = Type.Object({
  id: Id,
  batchId: Id,
  rowNo: Type.Integer(),
  /** The source record as received: the 市妇幼 interface's own fields, open JSON. */
  raw: Type.Record(Type.String(), Type.Unknown()),
  reasons: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
  districtCode: nullable(Type.String()),
  streetCode: nullable(Type.String()),
  createdAt: Instant,
});
export type RejectedRecord = Static<typeof RejectedRecord>;
export const RejectedList = PageOf(RejectedRecord, Paged);

export const DeathReport = Type.Object({
  id: Id,
  batchId: Id,
  reportNo: Type.String(),
  category: enumOf(['child', 'maternal'] as const),
  name: Type.String(),
  idNumberMasked: nullable(Type.String()),
  certificateNo: nullable(Type.String()),
  deathDate: nullable(DateText),
  outcome: enumOf(['recorded', 'already_dead', 'not_found', 'name_mismatch', 'invalid'] as const),
  message: Type.String(),
  receivedAt: Instant,
});
export type DeathReport = Static<typeof DeathReport>;
export const DeathReportList = PageOf(DeathReport, Paged);

export const FieldMapping = Type.Object({ targetField: Type.String(), sourceField: Type.String(), title: Type.String(), required: Type.Boolean() });
export type FieldMapping = Static<typeof FieldMapping>;
export const FieldMapView = Type.Object({ items: Type.Array(Type.Object({ ...FieldMapping.properties, defaultSourceField: nullable(Type.String()) })) });
export type FieldMapView = Static<typeof FieldMapView>;
export const FieldMapSaved = Type.Object({ items: Type.Array(FieldMapping) });

export const CloudFeedbackAck = Type.Object({ taskNo: Type.String(), duplicate: Type.Boolean() });

/** 孩次: the order, how it was reached, and no identity of the siblings. */
export const BirthOrderAnswer = Type.Object({
  child: Type.Object({ personId: Id, nameMasked: Type.String(), idNumberMasked: nullable(Type.String()), birthDate: DateText }),
  birthOrder: Type.Integer(),
  totalChildren: Type.Integer(),
  needsReview: Type.Boolean(),
  conflicts: Type.Array(Type.Object({ kind: Type.String(), message: Type.String() })),
  explanation: Type.String(),
  siblings: Type.Array(
    Type.Object({
      order: Type.Integer(),
      birthDate: DateText,
      shared: enumOf(['self', 'both', 'mother', 'father'] as const),
      sameDay: Type.Boolean(),
      self: Type.Boolean(),
    }),
  ),
  sources: Type.Array(
    Type.Object({ source: Type.String(), sourceTitle: Type.String(), certificateNo: Type.String(), claimedBirthOrder: nullable(Type.Integer()) }),
  ),
  rule: Type.String(),
});
export type BirthOrderAnswer = Static<typeof BirthOrderAnswer>;
export type IntakeRequested = Static<typeof IntakeRequested>;
