import type { Queryable } from '../../../platform/db/types.ts';
import type { BirthRecordFact, BirthSource } from './birth-order.ts';

/** The birth-verification module's SQL. Row-level security applies except in fp_family_records (see migration). */

interface RecordRow {
  id: number;
  child_person_id: number;
  mother_person_id: number;
  father_person_id: number | null;
  birth_date: string;
  certificate_no: string;
  child_name: string;
  source: BirthSource;
  claimed_birth_order: number | null;
}

const toFact = (r: RecordRow): BirthRecordFact => ({
  id: Number(r.id),
  childPersonId: Number(r.child_person_id),
  motherPersonId: Number(r.mother_person_id),
  fatherPersonId: r.father_person_id === null ? null : Number(r.father_person_id),
  birthDate: r.birth_date,
  certificateNo: r.certificate_no,
  childName: r.child_name,
  source: r.source,
  claimedBirthOrder: r.claimed_birth_order,
});

/** Records of these children and of every child sharing a parent with them (whatever the caller's scope). */
export async function familyRecords(tx: Queryable, childIds: readonly number[]): Promise<BirthRecordFact[]> {
  if (childIds.length === 0) return [];
  const rows = await tx.query<RecordRow>('select * from fp_family_records($1::bigint[])', [[...new Set(childIds)]]);
  return rows.map(toFact);
}

/** Whether the caller's scope sees a record of this child. */
export async function childVisible(tx: Queryable, childId: number): Promise<boolean> {
  const rows = await tx.query('select 1 from fp_birth_record where child_person_id = $1 limit 1', [childId]);
  return rows.length > 0;
}

/** Every child with a birth record the caller can see, in id order. */
export async function childIds(tx: Queryable): Promise<number[]> {
  const rows = await tx.query<{ id: number }>('select distinct child_person_id as id from fp_birth_record order by 1');
  return rows.map((r) => Number(r.id));
}

export interface NewBirthRecord {
  childPersonId: number;
  motherPersonId: number;
  fatherPersonId: number | null;
  birthDate: string;
  certificateNo: string;
  hospital?: string | null;
  childName: string;
  source: BirthSource;
  claimedBirthOrder?: number | null;
  districtCode: string | null;
  streetCode: string | null;
}

export async function insertBirthRecord(tx: Queryable, r: NewBirthRecord): Promise<number> {
  const row = (
    await tx.query<{ id: number }>(
      `insert into fp_birth_record (child_person_id, mother_person_id, father_person_id, birth_date, certificate_no, hospital, child_name, source, claimed_birth_order, district_code, street_code)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
      [
        r.childPersonId,
        r.motherPersonId,
        r.fatherPersonId,
        r.birthDate,
        r.certificateNo,
        r.hospital ?? null,
        r.childName,
        r.source,
        r.claimedBirthOrder ?? null,
        r.districtCode,
        r.streetCode,
      ],
    )
  )[0]!;
  return Number(row.id);
}

export async function insertMarriage(
  tx: Queryable,
  m: {
    husbandPersonId: number;
    wifePersonId: number;
    registeredOn: string;
    dissolvedOn?: string | null;
    districtCode: string | null;
    streetCode?: string | null;
  },
): Promise<number> {
  const row = (
    await tx.query<{ id: number }>(
      'insert into fp_marriage (husband_person_id, wife_person_id, registered_on, dissolved_on, district_code, street_code) values ($1, $2, $3, $4, $5, $6) returning id',
      [m.husbandPersonId, m.wifePersonId, m.registeredOn, m.dissolvedOn ?? null, m.districtCode, m.streetCode ?? null],
    )
  )[0]!;
  return Number(row.id);
}
