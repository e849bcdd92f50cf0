import type { AuditBuffer } from '../../../platform/audit/event.ts';
import type { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { ageOn, todayInShanghai } from '../../../platform/util/dates.ts';
import type { PersonRow } from './repository.ts';
import type { PersonView, Resident, RevealedResident } from './responses.ts';

/** What the resident services need: a request context, or a job's transaction with kernel and audit buffer. */
export interface ResidentCtx {
  tx: Queryable;
  kernel: { keys: KeyRing };
  audit: AuditBuffer;
}

/** The API shapes (responses.ts); the mappers below are checked against them. */
export type MaskedResident = Resident;
export type { PersonView, RevealedResident };

// Today and age come from the one dates module (a UTC "today" here made residents a year younger
// before 08:00 on their birthday).
export { ageOn };
export const today = (): string => todayInShanghai();

export function toMasked(r: PersonRow): MaskedResident {
  return {
    id: r.id,
    name: r.name,
    sex: r.sex,
    birthDate: r.birth_date,
    age: ageOn(r.birth_date, r.death_date ?? today()),
    idType: r.id_type,
    idNumberMasked: r.id_number_mask,
    phoneMasked: r.phone_mask,
    hukouDistrict: r.hukou_district,
    residenceDistrict: r.residence_district,
    residenceStreet: r.residence_street,
    residenceCommunity: r.residence_community,
    insuredPlace: r.insured_place,
    status: r.status,
    deathDate: r.death_date,
    deathSource: r.death_source ?? null,
    managingInstitutionId: r.managing_institution_id,
  };
}

export function toView(r: PersonRow): PersonView {
  return { ...toMasked(r), teamId: r.team_id, doctorId: r.doctor_id, version: r.version };
}

export function toRevealed(keys: KeyRing, r: PersonRow): RevealedResident {
  return {
    ...toMasked(r),
    idNumber: keys.decryptField(r.id_number_enc),
    phone: r.phone_enc ? keys.decryptField(r.phone_enc) : null,
    address: r.address,
    hukouPlace: r.hukou_place,
    insuranceCardNo: r.insurance_card_no,
  };
}

/** Keeps the start (区、路) and hides the house number. */
export function maskAddress(a: string | null): string | null {
  if (!a) return a;
  const keep = Math.min(6, Math.floor(a.length / 2));
  return `${a.slice(0, keep)}${'*'.repeat(Math.max(3, a.length - keep))}`;
}

function maskTail(s: string | null): string | null {
  return s && s.length > 4 ? `${'*'.repeat(s.length - 4)}${s.slice(-4)}` : s && '*'.repeat(s.length);
}

/** What an audit event may hold about a person: masks only, never the plaintext identity, phone or address. */
export function auditView(r: PersonRow): Record<string, unknown> {
  return {
    ...toMasked(r),
    age: undefined,
    addressMasked: maskAddress(r.address),
    insuranceCardNoMasked: maskTail(r.insurance_card_no),
    hukouPlace: r.hukou_place,
    teamId: r.team_id,
    doctorId: r.doctor_id,
    version: r.version,
  };
}
