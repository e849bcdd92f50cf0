import { type Static, Type } from '@sinclair/typebox';
import { DateText, enumOf, Id, Instant, nullable, PageOf } from '../../../platform/http/schema.ts';

/** Responses of 公安报出生户口核对 (routes.ts, pull.ts). */

const Paged = { page: Type.Integer(), pageSize: Type.Integer() };
export const Sex = enumOf(['M', 'F', 'U'] as const);
export const MapMethod = enumOf(['code', 'name', 'manual'] as const);
export const MatchStatus = enumOf(['matched', 'mismatch', 'missing'] as const);
export type MatchStatus = Static<typeof MatchStatus>;

/** Where the 公安 registration and the newborn library disagree. */
export const Difference = Type.Object({
  field: enumOf(['name', 'sex', 'birthDate'] as const),
  title: Type.String(),
  police: nullable(Type.String()),
  newborn: nullable(Type.String()),
});
export type Difference = Static<typeof Difference>;
/** The newborn library's record of the same 出生登记号. */
export const NewbornRecord = Type.Object({
  regNo: Type.String(),
  name: Type.String(),
  sex: Sex,
  birthDate: nullable(DateText),
  certificateNo: nullable(Type.String()),
});

export const Registration = Type.Object({
  id: Id,
  regNo: Type.String(),
  childName: Type.String(),
  sex: Sex,
  birthDate: DateText,
  childIdMasked: nullable(Type.String()),
  policeCode: Type.String(),
  policeName: Type.String(),
  motherName: nullable(Type.String()),
  motherIdMasked: nullable(Type.String()),
  fatherName: nullable(Type.String()),
  fatherIdMasked: nullable(Type.String()),
  registeredOn: nullable(DateText),
  mapMethod: nullable(MapMethod),
  distribution: enumOf(['distributed', 'unmapped'] as const),
  distributedAt: nullable(Instant),
  newborn: nullable(NewbornRecord),
  matchStatus: MatchStatus,
  differences: Type.Array(Difference),
  districtCode: nullable(Type.String()),
  streetCode: nullable(Type.String()),
  streetName: nullable(Type.String()),
});
export type Registration = Static<typeof Registration>;
export const RegistrationList = PageOf(Registration, Paged);

export const Prefill = Type.Object({
  prefill: Type.Object({
    regNo: Type.String(),
    childName: Type.String(),
    sex: Sex,
    birthDate: DateText,
    childIdMasked: nullable(Type.String()),
    certificateNo: nullable(Type.String()),
    motherName: nullable(Type.String()),
    motherIdMasked: nullable(Type.String()),
    fatherName: nullable(Type.String()),
    fatherIdMasked: nullable(Type.String()),
    streetCode: nullable(Type.String()),
    streetName: nullable(Type.String()),
  }),
  sources: Type.Object({ police: Type.Object({ name: Type.String(), sex: Sex, birthDate: DateText }), newborn: nullable(NewbornRecord) }),
  matchStatus: MatchStatus,
  differences: Type.Array(Difference),
});
export type Prefill = Static<typeof Prefill>;

export const OrgMapping = Type.Object({
  policeCode: Type.String(),
  policeName: Type.String(),
  streetCode: Type.String(),
  streetName: nullable(Type.String()),
  districtCode: Type.String(),
  method: MapMethod,
  updatedBy: Type.String(),
  updatedAt: Instant,
});
export type OrgMapping = Static<typeof OrgMapping>;
/** A 公安 code no mapping knows yet, with the registrations waiting for it. */
export const UnmappedCode = Type.Object({ policeCode: Type.String(), policeName: Type.String(), registrations: Type.Integer() });
export type UnmappedCode = Static<typeof UnmappedCode>;
export const OrgMap = Type.Object({ mappings: Type.Array(OrgMapping), unmapped: Type.Array(UnmappedCode) });
export const MappingSaved = Type.Object({ policeCode: Type.String(), streetCode: Type.String(), distributed: Type.Integer() });

export const LogEntry = Type.Object({
  id: Id,
  batchId: nullable(Id),
  regNo: nullable(Type.String()),
  kind: enumOf(['pull', 'distribute', 'match', 'exception', 'mapping', 'death'] as const),
  status: Type.String(),
  message: Type.String(),
  actor: Type.String(),
  districtCode: nullable(Type.String()),
  streetCode: nullable(Type.String()),
  at: Instant,
});
export type LogEntry = Static<typeof LogEntry>;
export const LogList = PageOf(LogEntry, Paged);

const Counts = {
  total: Type.Integer(),
  distributed: Type.Integer(),
  unmapped: Type.Integer(),
  matched: Type.Integer(),
  mismatched: Type.Integer(),
  missing: Type.Integer(),
  matchRate: Type.Number(),
};
/** One street's registrations (streetCode null: not mapped to a street yet). */
export const StreetStats = Type.Object({ streetCode: nullable(Type.String()), streetName: Type.String(), districtCode: nullable(Type.String()), ...Counts });
export type StreetStats = Static<typeof StreetStats>;
export const Stats = Type.Object({ items: Type.Array(StreetStats), total: Type.Object(Counts) });
export type Stats = Static<typeof Stats>;

export const PullRequested = Type.Object({ jobRunId: Id, existing: Type.Boolean() });
export const PullBatch = Type.Object({
  id: Id,
  month: Type.String(),
  status: enumOf(['running', 'done', 'failed'] as const),
  fetched: Type.Integer(),
  created: Type.Integer(),
  duplicates: Type.Integer(),
  distributed: Type.Integer(),
  unmapped: Type.Integer(),
  matched: Type.Integer(),
  mismatched: Type.Integer(),
  missing: Type.Integer(),
  rejected: Type.Integer(),
  deaths: Type.Integer(),
  deathsRecorded: Type.Integer(),
  error: nullable(Type.String()),
  requestedBy: nullable(Type.String()),
  finishedAt: nullable(Instant),
});
export type PullBatch = Static<typeof PullBatch>;
export const PullBatchList = PageOf(PullBatch, Paged);
export type OrgMap = Static<typeof OrgMap>;
export type MappingSaved = Static<typeof MappingSaved>;
export type PullRequested = Static<typeof PullRequested>;
