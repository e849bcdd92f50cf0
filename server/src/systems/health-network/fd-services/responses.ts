import { type Static, Type } from '@sinclair/typebox';
import { DateText, enumOf, Id, Instant, nullable } from '../../../platform/http/schema.ts';
import { RenewalPreview } from '../family-doctor/responses.ts';

/** The responses of the fd-services routes (declared once: server serialisation, OpenAPI, console types). */

const Count = Type.Integer({ minimum: 0 });
const NullStr = nullable(Type.String());

// ———————————————————————————————— 住院提醒 ————————————————————————————————

/** A hospital's admission / discharge as recorded (the same one again changes nothing: duplicate). */
export const InpatientRecorded = Type.Object({ id: Id, duplicate: Type.Boolean(), reminded: Type.Boolean(), notified: Count });
export type InpatientRecorded = Static<typeof InpatientRecorded>;

export const Reminder = Type.Object({
  id: Id,
  kind: enumOf(['admission', 'discharge'] as const),
  kindName: Type.String(),
  personId: Id,
  personName: NullStr,
  idNumberMasked: NullStr,
  age: nullable(Type.Integer()),
  hospitalId: Id,
  hospitalName: NullStr,
  stayNo: Type.String(),
  at: Instant,
  department: NullStr,
  diagnosis: NullStr,
  reports: Type.Array(Type.Object({ title: Type.String(), url: Type.String() })),
  source: Type.String(),
  contractId: nullable(Id),
  status: enumOf(['open', 'handled', 'no_contract'] as const),
  handledBy: NullStr,
  handledAt: nullable(Instant),
  handlingNote: NullStr,
});
export type Reminder = Static<typeof Reminder>;
export const ReminderPage = Type.Object({ total: Count, items: Type.Array(Reminder) });

// ———————————————————————————————— 老年人体检预约 ————————————————————————————————

const ReportLink = Type.Object({ fileId: Id, url: Type.String() });
export const ExamPlan = Type.Object({
  personId: Id,
  name: Type.String(),
  age: Type.Integer(),
  eligible: Type.Boolean(),
  colour: nullable(enumOf(['green', 'yellow', 'red'] as const)),
  contractId: nullable(Id),
  step: enumOf(['not_eligible', 'sign_first', 'book', 'renew_or_book', 'sign_anew'] as const),
  guidance: Type.String(),
  signUrl: NullStr,
  communities: Type.Array(Type.Object({ institutionId: Id, name: NullStr, reason: Type.String() })),
  /** The latest archived reports (health-assessment), null where none. */
  reports: Type.Object({ healthAssessment: nullable(ReportLink), physicalExam: nullable(ReportLink) }),
  renewal: nullable(RenewalPreview),
});
export type ExamPlan = Static<typeof ExamPlan>;

const BookingStatus = enumOf(['booked', 'done', 'cancelled', 'no_show'] as const);
export const BookingMade = Type.Object({
  id: Id,
  personId: Id,
  institutionId: Id,
  institutionName: Type.String(),
  examDate: DateText,
  status: BookingStatus,
  /** A yellow contract: renew after the exam. */
  renewalPrompt: nullable(Type.Object({ message: Type.String(), years: Type.Array(Type.Integer()), reason: Type.String(), contractId: Id })),
});
export type BookingMade = Static<typeof BookingMade>;

export const Booking = Type.Object({
  id: Id,
  personId: Id,
  personName: NullStr,
  age: nullable(Type.Integer()),
  institutionName: NullStr,
  examDate: DateText,
  status: BookingStatus,
  statusName: Type.String(),
  colourAtBooking: nullable(enumOf(['green', 'yellow'] as const)),
  renewalPrompted: Type.Boolean(),
  bookedBy: Type.String(),
});
export type Booking = Static<typeof Booking>;
export const BookingPage = Type.Object({ total: Count, items: Type.Array(Booking) });
export const BookingStatusChanged = Type.Object({ id: Id, status: BookingStatus, statusName: Type.String() });

// ———————————————————————————————— 上门访视 ————————————————————————————————

const VisitForm = enumOf(['integrated_care', 'clinic', 'follow_up', 'home_bed', 'ltc_delegated', 'other'] as const);
export const VisitRecorded = Type.Object({ id: Id, personId: Id, form: VisitForm, formName: Type.String(), visitDate: DateText, contractId: Id });
export type VisitRecorded = Static<typeof VisitRecorded>;
export const Visit = Type.Object({
  id: Id,
  personId: Id,
  personName: NullStr,
  form: VisitForm,
  formName: Type.String(),
  visitDate: DateText,
  summary: Type.String(),
  nextVisitDate: nullable(DateText),
  recordedBy: Type.String(),
});
export type Visit = Static<typeof Visit>;
export const VisitPage = Type.Object({ total: Count, items: Type.Array(Visit) });

// ———————————————————————————————— 居民端 and 随申办 ————————————————————————————————

export const CodeRequested = Type.Object({ sent: Type.Boolean(), message: Type.String() });
export const PortalSession = Type.Object({ token: Type.String(), expiresAt: Instant });
export type PortalSession = Static<typeof PortalSession>;

/** The contract in resident-facing channels (never a red one). */
export const ContractSummary = Type.Object({
  contractId: Id,
  colour: enumOf(['green', 'yellow'] as const),
  colourName: Type.String(),
  doctor: Type.Object({ id: Id, name: NullStr, title: NullStr }),
  team: Type.Object({ id: nullable(Id), name: NullStr }),
  community: Type.Object({ id: Id, name: NullStr, address: NullStr, phone: NullStr }),
  districtHospital: nullable(Type.Object({ id: Id, name: NullStr })),
  cityHospital: nullable(Type.Object({ id: Id, name: NullStr })),
  cycleStart: DateText,
  cycleEnd: DateText,
});
export type ContractSummary = Static<typeof ContractSummary>;
export const MyFamilyDoctor = Type.Object({
  signed: Type.Boolean(),
  name: Type.String(),
  /** null when unsigned or red. */
  contract: nullable(ContractSummary),
  signUrl: NullStr,
  message: Type.String(),
});
export type MyFamilyDoctor = Static<typeof MyFamilyDoctor>;
