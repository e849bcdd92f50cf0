import { type Static, Type } from '@sinclair/typebox';
import { DateText, enumOf, Id, Instant, nullable, PageOf } from '../../../platform/http/schema.ts';

/**
 * The responses of the family-doctor routes: declared once, serialised by the server through them and
 * imported (as types) by the console.
 */

const Count = Type.Integer({ minimum: 0 });
const Str = Type.String();
const NullStr = nullable(Type.String());
const NullId = nullable(Id);

export const Colour = enumOf(['green', 'yellow', 'red'] as const);
export type Colour = Static<typeof Colour>;
export const ContractStatus = enumOf(['active', 'terminated'] as const);
export const Channel = enumOf(['online', 'offline'] as const);

/** An emergency contact as listed: the phone only as a mask (the full number through 调阅). */
export const MaskedContact = Type.Object({ name: Str, relation: Str, phoneMasked: Str });
export type MaskedContact = Static<typeof MaskedContact>;

export const Contract = Type.Object({
  id: Id,
  personId: Id,
  personName: NullStr,
  idNumberMasked: NullStr,
  age: nullable(Type.Integer()),
  institutionId: Id,
  institutionName: NullStr,
  teamId: NullId,
  teamName: NullStr,
  doctorId: Id,
  doctorName: NullStr,
  districtHospitalId: NullId,
  districtHospitalName: NullStr,
  cityHospitalId: NullId,
  cityHospitalName: NullStr,
  districtCode: Str,
  streetCode: NullStr,
  signedOn: DateText,
  cycleStart: DateText,
  cycleEnd: DateText,
  cycleYears: Type.Integer(),
  doctorSince: DateText,
  channel: Channel,
  status: ContractStatus,
  /** null once terminated. */
  colour: nullable(Colour),
  terminatedOn: nullable(DateText),
  terminationInitiator: NullStr,
  terminationReason: NullStr,
  tags: Type.Array(Str),
  previousId: NullId,
  /** Phones masked; the full numbers only through 调阅. */
  emergencyContacts: Type.Array(MaskedContact),
  healthAssessmentUrl: NullStr,
  physicalExamUrl: NullStr,
  operatorName: NullStr,
  version: Type.Integer(),
});
export type Contract = Static<typeof Contract>;

export const EventKind = enumOf(['sign', 'change_doctor', 'transfer_in_community', 'change_hospitals', 'renew', 'terminate', 'transfer'] as const);
export const Initiator = enumOf(['resident', 'doctor', 'system'] as const);

export const ContractEvent = Type.Object({
  id: Id,
  kind: EventKind,
  initiator: Initiator,
  reason: NullStr,
  channel: nullable(Channel),
  tags: Type.Array(Str),
  // before / after / detail: free-form JSON snapshots of the contract and the act (audit-style), not a fixed shape.
  before: Type.Unknown(),
  after: Type.Unknown(),
  detail: Type.Unknown(),
  onDate: DateText,
  operatorName: NullStr,
  at: Instant,
});
export type ContractEvent = Static<typeof ContractEvent>;

export const Chances = Type.Object({
  /** The current change-sign year: [start, end). */
  yearStart: DateText,
  yearEnd: DateText,
  doctorChangesUsed: Count,
  doctorChangesLeft: Count,
  hospitalChangesUsed: Count,
  hospitalChangesLeft: Count,
  transfersUnlimited: Type.Literal(true),
});
export type Chances = Static<typeof Chances>;

export const ContractDetail = Type.Composite([Contract, Type.Object({ events: Type.Array(ContractEvent), chances: Chances, rules: Type.Array(Str) })]);
export type ContractDetail = Static<typeof ContractDetail>;

export const ContractPage = PageOf(Contract, {
  /** Active contracts by colour under the same filters (colour aside). */
  counts: Type.Object({ green: Count, yellow: Count, red: Count }),
});
export type ContractPage = Static<typeof ContractPage>;

/** A signing (plain, special, by authorization code): the contract, its agreement and the card warnings. */
export const SignResult = Type.Composite([Contract, Type.Object({ agreementId: Id, warnings: Type.Array(Str) })]);
export type SignResult = Static<typeof SignResult>;

export const PersonChances = Type.Object({
  personId: Id,
  contractId: NullId,
  colour: nullable(Colour),
  maySign: Type.Boolean(),
  chances: nullable(Chances),
  rules: Type.Array(Str),
});
export type PersonChances = Static<typeof PersonChances>;

export const RenewalCondition = Type.Object({
  code: enumOf(['same_doctor_2y', 'visits_2', 'health_assessment', 'elderly_exam'] as const),
  title: Str,
  met: Type.Boolean(),
  detail: Str,
});
export const RenewalPreview = Type.Object({
  years: Type.Array(Type.Integer()),
  conditions: Type.Array(RenewalCondition),
  reason: Str,
  colour: nullable(Colour),
  allowed: Type.Boolean(),
  refusal: NullStr,
  newCycleStart: DateText,
});
export type RenewalPreview = Static<typeof RenewalPreview>;

// ———————————————————————————————— 转签 requests ————————————————————————————————

export const TransferStatus = enumOf(['pending', 'accepted', 'rejected'] as const);
export const TransferReasonKind = enumOf(['retire', 'post_change', 'leave', 'other'] as const);
export const TransferRequest = Type.Object({
  id: Id,
  status: TransferStatus,
  fromInstitutionId: Id,
  fromInstitutionName: NullStr,
  fromDoctorId: Id,
  fromDoctorName: NullStr,
  toInstitutionId: Id,
  toInstitutionName: NullStr,
  toTeamId: Id,
  toTeamName: NullStr,
  toDoctorId: Id,
  toDoctorName: NullStr,
  reasonKind: TransferReasonKind,
  reasonKindName: Str,
  reason: Str,
  contractIds: Type.Array(Id),
  residents: Type.Array(Type.Object({ contractId: Id, personName: NullStr, idNumberMasked: NullStr })),
  decisionReason: NullStr,
  movedIds: Type.Array(Id),
  skippedIds: Type.Array(Id),
  requestedByName: NullStr,
  requestedAt: Instant,
  decidedByName: NullStr,
  decidedAt: nullable(Instant),
});
export type TransferRequest = Static<typeof TransferRequest>;
export const TransferRequestPage = PageOf(TransferRequest);

// ———————————————————————————————— 死亡核实 ————————————————————————————————

export const DeathCheckStatus = enumOf(['pending', 'confirmed', 'not_same_person'] as const);
export const DeathCheck = Type.Object({
  id: Id,
  contractId: Id,
  personId: Id,
  personName: NullStr,
  idNumberMasked: NullStr,
  deathDate: DateText,
  source: enumOf(['report_card', 'resident_index'] as const),
  reportNo: NullStr,
  cause: NullStr,
  status: DeathCheckStatus,
  note: NullStr,
  doctorId: Id,
  doctorName: NullStr,
  reportedByName: NullStr,
  reportedAt: Instant,
  decidedByName: NullStr,
  decidedAt: nullable(Instant),
});
export type DeathCheck = Static<typeof DeathCheck>;
export const DeathCheckPage = PageOf(DeathCheck);

// ———————————————————————————————— reports ————————————————————————————————

export const AbnormalSigning = Type.Object({
  personId: Id,
  personName: NullStr,
  idNumberMasked: NullStr,
  signCount: Count,
  firstSignedOn: DateText,
  lastSignedOn: DateText,
});
export type AbnormalSigning = Static<typeof AbnormalSigning>;
export const AbnormalSigningReport = Type.Object({ threshold: Type.Integer(), items: Type.Array(AbnormalSigning), total: Count });

export const DuplicateCard = Type.Object({
  insuranceCardNo: Str,
  count: Count,
  holders: Type.Array(Type.Object({ personId: Id, name: NullStr, idNumberMasked: NullStr, insuredPlace: NullStr, district: NullStr })),
});
export type DuplicateCard = Static<typeof DuplicateCard>;
export const DuplicateCardPage = Type.Object({ total: Count, items: Type.Array(DuplicateCard) });

// ———————————————————————————————— 协议书, signatures, attachments ————————————————————————————————

export const AgreementTemplate = Type.Object({
  id: Id,
  version: Type.Integer(),
  title: Str,
  body: Str,
  note: NullStr,
  createdByName: NullStr,
  createdAt: Instant,
});
export type AgreementTemplate = Static<typeof AgreementTemplate>;
export const AgreementTemplates = Type.Object({ items: Type.Array(AgreementTemplate), placeholders: Type.Array(Type.Object({ key: Str, title: Str })) });
export type AgreementTemplates = Static<typeof AgreementTemplates>;

export const Agreement = Type.Object({
  id: Id,
  contractId: Id,
  seq: Type.Integer(),
  cycleStart: DateText,
  cycleEnd: DateText,
  templateVersion: Type.Integer(),
  reason: enumOf(['sign', 'signature_update', 'transfer', 'renew', 'manual'] as const),
  reasonName: Str,
  hasResidentSignature: Type.Boolean(),
  hasDoctorSignature: Type.Boolean(),
  createdByName: NullStr,
  createdAt: Instant,
});
export type Agreement = Static<typeof Agreement>;
export const AgreementCycle = Type.Object({ cycleStart: DateText, cycleEnd: DateText, contractId: Id, agreements: Type.Array(Agreement) });
export type AgreementCycle = Static<typeof AgreementCycle>;
export const AgreementCycles = Type.Object({ cycles: Type.Array(AgreementCycle) });
export const AgreementMade = Type.Object({ id: Id, seq: Type.Integer() });

export const DoctorSignatureSaved = Type.Object({ signatureId: Id, agreementsRegenerated: Count });
export const ResidentSignatureSaved = Type.Object({ signatureId: Id, agreementId: Id, seq: Type.Integer() });

export const Attachment = Type.Object({ id: Id, kind: Str, filename: Str, mime: Str, size: Count, uploadedByName: NullStr, uploadedAt: Instant });
export const Attachments = Type.Object({ items: Type.Array(Attachment) });

/** The full emergency contacts (调阅, audited). */
export const RevealedContacts = Type.Object({ items: Type.Array(Type.Object({ name: Str, phone: Str, relation: Str })) });

// ———————————————————————————————— 授权码 ————————————————————————————————

/** The code in clear: shown once, at issue. */
export const IssuedAuthCode = Type.Object({ id: Id, code: Str, institutionId: Id, institutionName: Str, personId: NullId, expiresAt: Instant });
export type IssuedAuthCode = Static<typeof IssuedAuthCode>;
export const AuthCode = Type.Object({
  id: Id,
  codeHint: Str,
  institutionId: Id,
  institutionName: NullStr,
  personId: NullId,
  reason: Str,
  expiresAt: Instant,
  issuedByName: NullStr,
  issuedAt: Instant,
  usedAt: nullable(Instant),
  usedByName: NullStr,
  usedContractId: NullId,
  status: enumOf(['valid', 'used', 'expired', 'revoked'] as const),
});
export type AuthCode = Static<typeof AuthCode>;
export const AuthCodePage = Type.Object({ total: Count, items: Type.Array(AuthCode) });
export const Revoked = Type.Object({ revoked: Type.Boolean() });

// ———————————————————————————————— 医保卡 ————————————————————————————————

export const CardCheckResult = Type.Object({ ok: Type.Boolean(), warnings: Type.Array(Str), duplicates: Count });
export type CardCheckResult = Static<typeof CardCheckResult>;
export const CardRule = Type.Object({ insuredPlace: Str, pattern: Str, title: Str, example: NullStr, updatedByName: NullStr, updatedAt: Instant });
export type CardRule = Static<typeof CardRule>;
export const CardRules = Type.Object({ items: Type.Array(CardRule) });
export const Deleted = Type.Object({ deleted: Type.Boolean() });

// ———————————————————————————————— 总分院合并 ————————————————————————————————

const InstitutionRef = Type.Object({ id: Id, name: Str, kind: Str });
export const MergePreview = Type.Object({
  branch: InstitutionRef,
  main: InstitutionRef,
  counts: Type.Array(Type.Object({ table: Str, column: Str, title: Str, rows: Count })),
  total: Count,
  activeContracts: Count,
  sample: Type.Array(Type.Object({ contractId: Id, status: Str, column: Str })),
});
export type MergePreview = Static<typeof MergePreview>;
/** Rows moved per `table.column` (the keys are the merge targets). */
const MovedCounts = Type.Record(Type.String(), Count);
export const MergeDone = Type.Object({ mergeId: Id, branch: InstitutionRef, main: InstitutionRef, moved: MovedCounts, total: Count });
export type MergeDone = Static<typeof MergeDone>;
export const Merge = Type.Object({
  id: Id,
  branchId: Id,
  branchName: NullStr,
  mainId: Id,
  mainName: NullStr,
  counts: MovedCounts,
  note: NullStr,
  mergedByName: NullStr,
  mergedAt: Instant,
});
export type Merge = Static<typeof Merge>;
export const MergePage = Type.Object({ total: Count, items: Type.Array(Merge) });
export const MergeRow = Type.Object({ table: Str, rowId: Id, column: Str, oldValue: Id, newValue: Id });
export type MergeRow = Static<typeof MergeRow>;
export const MergeRowPage = Type.Object({ total: Count, items: Type.Array(MergeRow) });

// ———————————————————————————————— outward data ————————————————————————————————

export const QcStatus = Type.Object({
  mirror: Type.Object({ contracts: Count, events: Count, lastMirroredAt: nullable(Instant) }),
  pending: Type.Object({ contracts: Count, events: Count }),
  /** Outbox messages of the QC platform by status (pending, sent, failed, …). */
  outbox: Type.Record(Type.String(), Count),
  pushes: Type.Array(Type.Object({ id: Id, dataset: Str, rows: Count, messages: Count, at: Instant })),
});
export type QcStatus = Static<typeof QcStatus>;
export const QcQueued = Type.Object({ contracts: Count, events: Count, messages: Count });
export type QcQueued = Static<typeof QcQueued>;

// ———————————————————————————————— 签约查找 ————————————————————————————————

export const SignLookup = Type.Object({
  resident: Type.Object({
    id: Id,
    name: Str,
    sex: Str,
    age: Type.Integer(),
    idNumberMasked: Str,
    residenceDistrict: Str,
    residenceStreet: NullStr,
    managingInstitutionId: NullId,
    insuredPlace: NullStr,
    status: enumOf(['alive', 'dead'] as const),
  }),
  /** The contract in force (any doctor's), or null. */
  contract: nullable(Type.Object({ id: Id, colour: Colour, institutionId: Id, institutionName: NullStr, doctorName: NullStr })),
  maySign: Type.Boolean(),
});
export type SignLookup = Static<typeof SignLookup>;
export type CardRules = Static<typeof CardRules>;
export type AgreementCycles = Static<typeof AgreementCycles>;
