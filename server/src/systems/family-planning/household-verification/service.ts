import type { Queryable } from '../../../platform/db/types.ts';
import { compare, type Difference, type Registration } from './compare.ts';

/**
 * The 公安报出生户口 module for other modules (birth verification): the registration of one birth and how it
 * differs from what another source says. Runs in the caller's transaction.
 */
export type { Difference } from './compare.ts';

export interface BirthKey {
  certificateNo: string;
  childName: string;
  birthDate: string;
  motherName: string | null;
}

/** 户籍登记 facts of one 公安 报出生户口 record (identity numbers masked). */
export interface HouseholdRegistration {
  id: number;
  regNo: string;
  month: string;
  childName: string;
  sex: 'M' | 'F' | 'U';
  birthDate: string;
  childIdMasked: string | null;
  policeCode: string;
  policeName: string;
  registeredOn: string | null;
  motherName: string | null;
  motherIdMasked: string | null;
  fatherName: string | null;
  fatherIdMasked: string | null;
  districtCode: string | null;
  streetCode: string | null;
  distribution: 'distributed' | 'unmapped';
  /** How the registration was found: the newborn library's certificate number, or name + birth date + mother. */
  matchedBy: 'certificate' | 'name_birth_mother';
}

interface Row {
  id: number;
  reg_no: string;
  month: string;
  child_name: string;
  sex: 'M' | 'F' | 'U';
  birth_date: string;
  child_id_masked: string | null;
  police_code: string;
  police_name: string;
  registered_on: string | null;
  mother_name: string | null;
  mother_id_masked: string | null;
  father_name: string | null;
  father_id_masked: string | null;
  district_code: string | null;
  street_code: string | null;
  distribution: 'distributed' | 'unmapped';
  newborn: { certificateNo?: string | null } | null;
}

/**
 * The registration of a birth the caller has already proved it may see (see migration 002: the lookup
 * crosses street scopes). By certificate number first; by name, birth date and mother only when exactly
 * one registration fits, so an ambiguous match pre-fills nothing. Null when 公安 has no record (yet).
 */
export async function registrationForBirth(ctx: { tx: Queryable }, key: BirthKey): Promise<HouseholdRegistration | null> {
  const rows = await ctx.tx.query<Row>(
    `select id::int as id, reg_no, month, child_name, sex, birth_date::text as birth_date, child_id_masked, police_code, police_name, registered_on::text as registered_on,
            mother_name, mother_id_masked, father_name, father_id_masked, district_code, street_code, distribution, newborn
       from fp_hv_registration_for_birth($1, $2, $3::date, $4)`,
    [key.certificateNo, key.childName, key.birthDate, key.motherName],
  );
  const byCert = rows.filter((r) => r.newborn?.certificateNo === key.certificateNo);
  const r = byCert[0] ?? (rows.length === 1 ? rows[0] : undefined);
  if (!r) return null;
  return {
    id: r.id,
    regNo: r.reg_no,
    month: r.month,
    childName: r.child_name,
    sex: r.sex,
    birthDate: r.birth_date,
    childIdMasked: r.child_id_masked,
    policeCode: r.police_code,
    policeName: r.police_name,
    registeredOn: r.registered_on,
    motherName: r.mother_name,
    motherIdMasked: r.mother_id_masked,
    fatherName: r.father_name,
    fatherIdMasked: r.father_id_masked,
    districtCode: r.district_code,
    streetCode: r.street_code,
    distribution: r.distribution,
    matchedBy: byCert.length > 0 ? 'certificate' : 'name_birth_mother',
  };
}

/**
 * Where another source's record of the birth differs from the 公安 registration: name, sex and birth date
 * by the same comparison the monthly pull makes against the newborn library (`newborn` = the other source).
 */
export function differencesFrom(
  reg: HouseholdRegistration,
  other: { certificateNo: string; childName: string; sex: 'M' | 'F' | 'U' | null; birthDate: string },
): Difference[] {
  const asRegistration: Registration = {
    regNo: reg.regNo,
    name: reg.childName,
    sex: reg.sex,
    birthDate: reg.birthDate,
    childId: null,
    policeCode: reg.policeCode,
    policeName: reg.policeName,
    motherName: reg.motherName,
    motherId: null,
    fatherName: reg.fatherName,
    fatherId: null,
    registeredOn: reg.registeredOn,
  };
  return compare(asRegistration, {
    regNo: reg.regNo,
    name: other.childName,
    sex: other.sex ?? 'U',
    birthDate: other.birthDate,
    certificateNo: other.certificateNo,
  }).differences;
}
