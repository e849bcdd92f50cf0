import { type Static, Type } from '@sinclair/typebox';
import { DateText, enumOf, Id, Instant, nullable, PageOf } from '../../../platform/http/schema.ts';

/** Responses of 民政婚姻信息核对 (routes.ts, pull.ts). */

export const CaseStatus = enumOf(['matched', 'exception', 'manual', 'confirmed', 'invalid'] as const);
export type CaseStatus = Static<typeof CaseStatus>;
export const MatchMethod = enumOf(['idNumber', 'nameBirth', 'manual', 'none'] as const);

export const Party = Type.Object({
  name: Type.String(),
  birthDate: nullable(DateText),
  idNumberMasked: nullable(Type.String()),
  hukou: nullable(Type.String()),
  personId: nullable(Id),
});
export type Party = Static<typeof Party>;

/** One audit rule's outcome. */
export const Finding = Type.Object({ rule: Type.String(), ok: Type.Boolean(), message: Type.String() });
export type Finding = Static<typeof Finding>;

/** How one party was found in the resident index (note: why nothing or more than one was found). */
export const PartyMatchDetail = Type.Object({ method: MatchMethod, personId: nullable(Id), note: Type.Optional(nullable(Type.String())) });

export const MvCase = Type.Object({
  id: Id,
  recordNo: Type.String(),
  kind: enumOf(['marriage', 'divorce'] as const),
  registeredOn: DateText,
  districtCode: Type.String(),
  status: CaseStatus,
  manual: Type.Boolean(),
  husband: Party,
  wife: Party,
  matchDetail: Type.Object({ husband: Type.Optional(PartyMatchDetail), wife: Type.Optional(PartyMatchDetail) }),
  findings: Type.Array(Finding),
  note: nullable(Type.String()),
  handledBy: nullable(Type.String()),
  handledAt: nullable(Instant),
  createdAt: Instant,
  /** 回写婚姻库: the marriage-library row this registration was written to (own) or found in (not own). */
  writtenBack: nullable(Type.Object({ marriageId: nullable(Id), own: Type.Boolean(), at: Instant })),
});
export type MvCase = Static<typeof MvCase>;

export const MvCaseList = PageOf(MvCase, { page: Type.Integer(), pageSize: Type.Integer() });

export const LogKind = enumOf(['match', 'audit', 'manual'] as const);
/** A log entry's detail: what the step found or decided (match detail, findings, a person's note) — free-form JSON by kind. */
const LogDetail = Type.Record(Type.String(), Type.Unknown());

/** A log entry as the case shows it. */
export const CaseLogEntry = Type.Object({ id: Id, kind: LogKind, status: Type.String(), detail: LogDetail, actor: Type.String(), at: Instant });
export type CaseLogEntry = Static<typeof CaseLogEntry>;
export const MvCaseDetail = Type.Object({ ...MvCase.properties, log: Type.Array(CaseLogEntry) });
export type MvCaseDetail = Static<typeof MvCaseDetail>;

export const LogEntry = Type.Object({
  id: Id,
  caseId: Id,
  recordNo: Type.String(),
  kind: LogKind,
  status: Type.String(),
  detail: LogDetail,
  actor: Type.String(),
  districtCode: Type.String(),
  at: Instant,
});
export type LogEntry = Static<typeof LogEntry>;
export const LogList = PageOf(LogEntry, { page: Type.Integer(), pageSize: Type.Integer() });

export const WriteBackResult = Type.Object({ marriageId: nullable(Id), own: Type.Boolean(), change: Type.String() });
export const ConfirmResult = Type.Object({ id: Id, status: Type.Literal('confirmed'), remaining: Type.Array(Type.String()), writtenBack: WriteBackResult });
export const InvalidateResult = Type.Object({ id: Id, status: Type.Literal('invalid') });

export const StatsRow = Type.Object({
  key: Type.String(),
  total: Type.Integer(),
  matched: Type.Integer(),
  confirmed: Type.Integer(),
  exception: Type.Integer(),
  manualPending: Type.Integer(),
  invalid: Type.Integer(),
  manual: Type.Integer(),
  flagged: Type.Integer(),
  matchRate: Type.Number(),
  exceptionShare: Type.Number(),
  manualShare: Type.Number(),
});
export type StatsRow = Static<typeof StatsRow>;
export const Stats = Type.Object({ items: Type.Array(StatsRow), total: StatsRow });

export const PullRequested = Type.Object({ jobRunId: Id, existing: Type.Boolean() });
export const PullBatch = Type.Object({
  id: Id,
  sourceDate: DateText,
  status: enumOf(['running', 'done', 'failed'] as const),
  fetched: Type.Integer(),
  created: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  error: nullable(Type.String()),
  requestedBy: nullable(Type.String()),
  startedAt: Instant,
  finishedAt: nullable(Instant),
});
export type PullBatch = Static<typeof PullBatch>;
export const PullBatchList = PageOf(PullBatch, { page: Type.Integer(), pageSize: Type.Integer() });
export type PullRequested = Static<typeof PullRequested>;
export type Stats = Static<typeof Stats>;
