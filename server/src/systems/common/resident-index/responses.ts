import { type Static, Type } from '@sinclair/typebox';
import { DateText, enumOf, Id, nullable, Ok, PageOf } from '../../../platform/http/schema.ts';

/** A resident in lists and details: the identity number and phone only as masks (docs/api.md). */
export const Resident = Type.Object({
  id: Id,
  name: Type.String(),
  sex: enumOf(['M', 'F', 'U'] as const),
  birthDate: DateText,
  age: Type.Integer({ minimum: 0 }),
  idType: Type.String(),
  idNumberMasked: Type.String(),
  phoneMasked: nullable(Type.String()),
  hukouDistrict: nullable(Type.String()),
  residenceDistrict: Type.String(),
  residenceStreet: nullable(Type.String()),
  residenceCommunity: nullable(Type.String()),
  insuredPlace: nullable(Type.String()),
  status: enumOf(['alive', 'dead'] as const),
  deathDate: nullable(DateText),
  /** Where the death came from (death.ts DEATH_SOURCES); null while alive. */
  deathSource: nullable(Type.String()),
  managingInstitutionId: nullable(Id),
});
export type Resident = Static<typeof Resident>;
export const ResidentPage = PageOf(Resident);
export type ResidentPage = Static<typeof ResidentPage>;

/** After a create or update: the masked resident, and the insurance-card warnings when there are any. */
export const ResidentSaved = Type.Object({ ...Resident.properties, warnings: Type.Optional(Type.Array(Type.String())) });
export type ResidentSaved = Static<typeof ResidentSaved>;

/** After a 调阅 (reveal): the plaintext identity number, phone and address. */
export const RevealedResident = Type.Object({
  ...Resident.properties,
  idNumber: Type.String(),
  phone: nullable(Type.String()),
  address: nullable(Type.String()),
  hukouPlace: nullable(Type.String()),
  insuranceCardNo: nullable(Type.String()),
});
export type RevealedResident = Static<typeof RevealedResident>;

/** For other modules and the death record: the masked shape plus the care assignment and the row version. */
export const PersonView = Type.Object({
  ...Resident.properties,
  teamId: nullable(Id),
  doctorId: nullable(Id),
  version: Type.Integer({ minimum: 0 }),
});
export type PersonView = Static<typeof PersonView>;

export const CardCheckResult = Type.Object({
  ok: Ok.properties.ok,
  warnings: Type.Array(Type.String()),
  /** Other residents holding the same card number. */
  duplicates: Type.Integer({ minimum: 0 }),
});
export type CardCheckResult = Static<typeof CardCheckResult>;
