import type { Queryable } from '../../../platform/db/types.ts';

/**
 * Writes into the family-planning marriage library (fp_marriage) on behalf of the 民政婚姻核对 module:
 * a verified 民政 registration becomes (or is found as) a marriage row, a verified divorce ends it.
 * Every row this writes is marked source 'civil_affairs' with the 登记证字号, so a later correction or
 * invalidation touches exactly that row and never the system's own 婚育 data. Runs in the caller's
 * transaction (row-level security applies: the registering district's scope).
 */
export interface CivilMarriage {
  recordNo: string;
  husbandPersonId: number;
  wifePersonId: number;
  registeredOn: string;
  districtCode: string;
}

export type MarriageChange = 'inserted' | 'updated' | 'unchanged' | 'existing';

/** The fp_marriage row of this registration: own (written by it) or an existing one of the same pair and date. */
export interface MarriageWrite {
  marriageId: number;
  own: boolean;
  change: MarriageChange;
}

/** Upserts the marriage of one 民政 registration; idempotent (a repeat changes nothing). */
export async function recordCivilMarriage(tx: Queryable, m: CivilMarriage): Promise<MarriageWrite> {
  const [mine] = await tx.query<{ id: number; husband_person_id: number; wife_person_id: number; registered_on: string; district_code: string | null }>(
    `select id::int as id, husband_person_id::int as husband_person_id, wife_person_id::int as wife_person_id, registered_on::text as registered_on, district_code
       from fp_marriage where source = 'civil_affairs' and source_ref = $1 for update`,
    [m.recordNo],
  );
  if (mine) {
    const same =
      mine.husband_person_id === m.husbandPersonId &&
      mine.wife_person_id === m.wifePersonId &&
      mine.registered_on === m.registeredOn &&
      mine.district_code === m.districtCode;
    if (same) return { marriageId: mine.id, own: true, change: 'unchanged' };
    await tx.query('update fp_marriage set husband_person_id = $2, wife_person_id = $3, registered_on = $4, district_code = $5 where id = $1', [
      mine.id,
      m.husbandPersonId,
      m.wifePersonId,
      m.registeredOn,
      m.districtCode,
    ]);
    return { marriageId: mine.id, own: true, change: 'updated' };
  }
  // The same marriage already in the library (entered by 计生 staff or an earlier import): not twice.
  const [known] = await tx.query<{ id: number }>(
    'select id::int as id from fp_marriage where husband_person_id = $1 and wife_person_id = $2 and registered_on = $3 order by id limit 1',
    [m.husbandPersonId, m.wifePersonId, m.registeredOn],
  );
  if (known) return { marriageId: known.id, own: false, change: 'existing' };
  const row = (
    await tx.query<{ id: number }>(
      `insert into fp_marriage (husband_person_id, wife_person_id, registered_on, district_code, source, source_ref)
     values ($1, $2, $3, $4, 'civil_affairs', $5) returning id::int as id`,
      [m.husbandPersonId, m.wifePersonId, m.registeredOn, m.districtCode, m.recordNo],
    )
  )[0]!;
  return { marriageId: row.id, own: true, change: 'inserted' };
}

/** Removes the row a 民政 registration wrote (and only that); the removed row's id, or null. */
export async function withdrawCivilMarriage(tx: Queryable, recordNo: string): Promise<number | null> {
  const [r] = await tx.query<{ id: number }>(`delete from fp_marriage where source = 'civil_affairs' and source_ref = $1 returning id::int as id`, [recordNo]);
  return r?.id ?? null;
}

/**
 * A verified 民政 divorce ends the pair's marriage that was in force on that day (the latest one
 * registered before it). Null when the library has no such marriage. Idempotent per divorce record.
 */
export async function recordCivilDivorce(
  tx: Queryable,
  d: { recordNo: string; husbandPersonId: number; wifePersonId: number; on: string },
): Promise<number | null> {
  const [done] = await tx.query<{ id: number }>('select id::int as id from fp_marriage where dissolved_ref = $1', [d.recordNo]);
  if (done) return done.id;
  const [r] = await tx.query<{ id: number }>(
    `update fp_marriage set dissolved_on = $3, dissolved_ref = $4
      where id = (select id from fp_marriage where husband_person_id = $1 and wife_person_id = $2 and registered_on <= $3 and dissolved_on is null
                   order by registered_on desc, id desc limit 1)
      returning id::int as id`,
    [d.husbandPersonId, d.wifePersonId, d.on, d.recordNo],
  );
  return r?.id ?? null;
}

/** Undoes what one divorce record did (the marriage is in force again); the row's id, or null. */
export async function withdrawCivilDivorce(tx: Queryable, recordNo: string): Promise<number | null> {
  const [r] = await tx.query<{ id: number }>(
    'update fp_marriage set dissolved_on = null, dissolved_ref = null where dissolved_ref = $1 returning id::int as id',
    [recordNo],
  );
  return r?.id ?? null;
}
