import type { Scope } from '../../../platform/scope/scope.ts';
import { one, type Sql, sql } from '../../../platform/db/index.ts';
import type { Queryable } from '../../../platform/db/types.ts';

/** The resident index's SQL. Every statement runs under the caller's row-level security on person. */

export interface PersonRow {
  id: number;
  id_type: string;
  id_number_enc: string;
  id_number_bi: string;
  id_number_mask: string;
  name: string;
  sex: 'M' | 'F' | 'U';
  birth_date: string;
  hukou_district: string | null;
  hukou_place: string | null;
  residence_district: string;
  residence_street: string | null;
  residence_community: string | null;
  address: string | null;
  phone_enc: string | null;
  phone_bi: string | null;
  phone_mask: string | null;
  insurance_card_no: string | null;
  insured_place: string | null;
  status: 'alive' | 'dead';
  death_date: string | null;
  death_source: string | null;
  managing_institution_id: number | null;
  team_id: number | null;
  doctor_id: number | null;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

export type PersonColumns = Partial<Omit<PersonRow, 'id' | 'version' | 'created_at' | 'updated_at'>>;

const COLUMN = /^[a-z_]+$/;

export async function insertPerson(tx: Queryable, cols: PersonColumns): Promise<PersonRow> {
  const entries = Object.entries(cols).filter(([k, v]) => v !== undefined && COLUMN.test(k));
  // Column names pass COLUMN (identifiers only); the values are parameters.
  return one<PersonRow>(
    tx,
    sql`insert into person (${sql.raw(entries.map(([k]) => k).join(', '))}) values (${sql.join(entries.map(([, v]) => sql`${v}`))}) returning *`,
  );
}

/** Bumps the version; returns null when the row is not in the caller's scope. */
export async function updatePerson(tx: Queryable, id: number, cols: PersonColumns): Promise<PersonRow | null> {
  const sets = Object.entries(cols)
    .filter(([k, v]) => v !== undefined && COLUMN.test(k))
    .map(([k, v]) => sql`${sql.raw(k)} = ${v}`);
  const [r] = await tx.query<PersonRow>(
    sql`update person set ${sql.join([...sets, sql`version = version + 1`, sql`updated_at = now()`])} where id = ${id} returning *`,
  );
  return r ?? null;
}

export async function personById(tx: Queryable, id: number, forUpdate = false): Promise<PersonRow | null> {
  const [r] = await tx.query<PersonRow>(`select * from person where id = $1${forUpdate ? ' for update' : ''}`, [id]);
  return r ?? null;
}

export async function personsByIds(tx: Queryable, ids: readonly number[]): Promise<PersonRow[]> {
  if (ids.length === 0) return [];
  return tx.query<PersonRow>('select * from person where id = any($1::bigint[])', [[...new Set(ids)]]);
}

/** Any row with this identity, whatever the caller's scope can see (duplicate check). */
export async function personIdByIdentity(tx: Queryable, idType: string, bi: string): Promise<number | null> {
  const [r] = await tx.query<{ id: number }>('select id from person where id_type = $1 and id_number_bi = $2', [idType, bi]);
  return r?.id ?? null;
}

export interface Page {
  limit: number;
  offset: number;
}

async function paged(tx: Queryable, where: Sql, order: Sql, p: Page): Promise<{ rows: PersonRow[]; total: number }> {
  const c = await one<{ n: number }>(tx, sql`select count(*)::int as n from person where ${where}`);
  if (c.n === 0) return { rows: [], total: 0 };
  const rows = await tx.query<PersonRow>(sql`select * from person where ${where} order by ${order} limit ${p.limit} offset ${p.offset}`);
  return { rows, total: c.n };
}

export function searchByIdentity(tx: Queryable, idType: string, bi: string, p: Page) {
  return paged(tx, sql`id_type = ${idType} and id_number_bi = ${bi}`, sql`id`, p);
}

/** The one person with this identity inside the caller's scope (a single indexed query, no count). */
export async function personByIdentity(tx: Queryable, idType: string, bi: string): Promise<PersonRow | null> {
  const [r] = await tx.query<PersonRow>('select * from person where id_type = $1 and id_number_bi = $2 order by id limit 1', [idType, bi]);
  return r ?? null;
}

export function searchByPhone(tx: Queryable, bi: string, p: Page) {
  return paged(tx, sql`phone_bi = ${bi}`, sql`id`, p);
}

/** The smallest string greater than every string starting with `s` (code-point order). */
export function prefixUpperBound(s: string): string {
  const cps = [...s];
  const last = cps.pop()!;
  return cps.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Exact name or name prefix inside a district (index person_district_name: the database collation
 * is C, so a LIKE prefix becomes an index range; shortest first puts the exact match on top).
 * Fuzzy: the text anywhere in the name, or trigram-similar (person_name_trgm). Trigrams alone are weak
 * for two- and three-character Chinese names, hence the substring arm.
 */
export async function searchByName(tx: Queryable, district: string, name: string, fuzzy: boolean, p: Page) {
  const q = likeEscape(name);
  // A prefix as a range: LIKE is not leakproof, so under row-level security PostgreSQL will not use it as
  // an index condition; text >= / < are leakproof and use person_district_name (code-point order).
  if (!fuzzy) return paged(tx, sql`residence_district = ${district} and name >= ${name} and name < ${prefixUpperBound(name)}`, sql`length(name), name, id`, p);
  return paged(
    tx,
    sql`residence_district = ${district} and (name like ${`%${q}%`} or name % ${name}::text)`,
    sql`similarity(name, ${name}::text) desc, length(name), name, id`,
    p,
  );
}

/**
 * City and district scopes read the trigger-maintained totals (migration 002); narrower scopes count
 * through the index of their own scope key. Row-level security applies on top in both cases.
 */
export async function countByDistrict(tx: Queryable, scope: Scope): Promise<Map<string, number>> {
  const narrow: Partial<Record<Scope['level'], [string, unknown]>> = {
    street: ['residence_street', scope.streetCode],
    institution: ['managing_institution_id', scope.institutionId],
    team: ['team_id', scope.teamId],
    own: ['doctor_id', scope.practitionerId],
  };
  const key = narrow[scope.level];
  const rows = key
    ? await tx.query<{ code: string; n: number }>(
        `select residence_district as code, count(*)::int as n from person where ${key[0]} = $1 group by residence_district`,
        [key[1]],
      )
    : await tx.query<{ code: string; n: number }>('select district_code as code, residents::int as n from person_district_count');
  return new Map(rows.map((r) => [r.code, r.n]));
}
