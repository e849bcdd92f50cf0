import { one, sql, where } from '../../../platform/db/index.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { compileRule } from '../../../platform/rules/index.ts';
import { type ChangePolicy, type ConditionKind, DEFAULT_CHANGE_POLICY, keyPopulationCatalog, type TagCode, tagRule } from './rules.ts';

/** The key-populations module's SQL. Statements run under the caller's row-level security. */

export interface ConditionRow {
  id: number;
  person_id: number;
  kind: ConditionKind;
  registered_on: string;
  ends_on: string | null;
  source: string;
  note: string | null;
  district_code: string;
  created_by: string | null;
  updated_at: Date | string;
}

export interface TagDelta {
  added: number[];
  removed: number[];
}

/**
 * Brings kp_tag in line with one tag's rule: adds the residents the rule now holds for (since = today),
 * removes the others; `personId` limits both to one resident (recompute on change). One statement.
 */
export async function applyTag(tx: Queryable, tag: TagCode, today: string, policy: ChangePolicy, personId?: number): Promise<TagDelta> {
  const c = compileRule(keyPopulationCatalog, tagRule(tag, policy), { today });
  const onePerson = personId !== undefined;
  const r = await one<{ added: (number | string)[] | null; removed: (number | string)[] | null }>(
    tx,
    sql`with hits as (select h.key::bigint as person_id from (${c.sql}) h ${where([onePerson && sql`h.key = ${personId}::bigint`])}),
          del as (delete from kp_tag k where k.tag = ${tag}::text ${onePerson ? sql`and k.person_id = ${personId}::bigint` : sql.empty}
                    and not exists (select 1 from hits h where h.person_id = k.person_id) returning k.person_id),
          ins as (insert into kp_tag (person_id, tag, since, district_code, street_code, institution_id, team_id, doctor_id)
                  select p.id, ${tag}::text, ${today}::date, p.residence_district, p.residence_street, p.managing_institution_id, p.team_id, p.doctor_id
                    from hits h join kp_person p on p.id = h.person_id
                  on conflict (person_id, tag) do nothing returning person_id)
     select (select array_agg(person_id) from ins) as added, (select array_agg(person_id) from del) as removed`,
  );
  return { added: (r.added ?? []).map(Number), removed: (r.removed ?? []).map(Number) };
}

/** The change-sign year policy from family-doctor's settings (defaults when absent). */
export async function loadChangePolicy(tx: Queryable): Promise<ChangePolicy> {
  const rows = await tx.query<{ key: string; value: number }>(`select key, value from fd_setting_v where key in ('change_year_days', 'max_doctor_changes')`);
  const m = new Map(rows.map((r) => [r.key, r.value]));
  return {
    changeYearDays: m.get('change_year_days') ?? DEFAULT_CHANGE_POLICY.changeYearDays,
    maxDoctorChanges: m.get('max_doctor_changes') ?? DEFAULT_CHANGE_POLICY.maxDoctorChanges,
  };
}

export async function insertCondition(
  tx: Queryable,
  c: { person_id: number; kind: ConditionKind; registered_on: string; ends_on: string | null; note: string | null; created_by: string | null },
): Promise<ConditionRow | null> {
  // Scope columns come from the resident (visible to the caller, or no row is inserted).
  const [r] = await tx.query<ConditionRow>(
    `insert into kp_condition (person_id, kind, registered_on, ends_on, note, created_by, district_code, street_code, institution_id, team_id, doctor_id)
     select p.id, $2, $3, $4, $5, $6, p.residence_district, p.residence_street, p.managing_institution_id, p.team_id, p.doctor_id from kp_person p where p.id = $1
     returning *`,
    [c.person_id, c.kind, c.registered_on, c.ends_on, c.note, c.created_by],
  );
  return r ?? null;
}

export async function endCondition(tx: Queryable, id: number, endsOn: string): Promise<ConditionRow | null> {
  const [r] = await tx.query<ConditionRow>('update kp_condition set ends_on = $2, updated_at = now() where id = $1 and registered_on <= $2 returning *', [
    id,
    endsOn,
  ]);
  return r ?? null;
}

export async function conditionById(tx: Queryable, id: number): Promise<ConditionRow | null> {
  const [r] = await tx.query<ConditionRow>('select * from kp_condition where id = $1', [id]);
  return r ?? null;
}

export function conditionsOf(tx: Queryable, personId: number): Promise<ConditionRow[]> {
  return tx.query<ConditionRow>('select * from kp_condition where person_id = $1 order by registered_on desc, id desc', [personId]);
}

export async function tagsOf(tx: Queryable, personIds: readonly number[]): Promise<Map<number, { tag: TagCode; since: string }[]>> {
  const out = new Map<number, { tag: TagCode; since: string }[]>();
  if (personIds.length === 0) return out;
  const rows = await tx.query<{ person_id: number; tag: TagCode; since: string }>(
    'select person_id, tag, since from kp_tag where person_id = any($1::bigint[]) order by tag',
    [personIds],
  );
  for (const r of rows) out.set(Number(r.person_id), [...(out.get(Number(r.person_id)) ?? []), { tag: r.tag, since: r.since }]);
  return out;
}

/** Residents per tag the caller sees, optionally in one district. */
export async function tagCounts(tx: Queryable, district?: string): Promise<Map<TagCode, number>> {
  const rows = await tx.query<{ tag: TagCode; n: number }>(
    `select tag, count(*)::int as n from kp_tag where ($1::text is null or district_code = $1) group by tag`,
    [district ?? null],
  );
  return new Map(rows.map((r) => [r.tag, r.n]));
}

export async function insertRefresh(
  tx: Queryable,
  r: { on_date: string; trigger: 'job' | 'world'; added: number; removed: number; detail: unknown },
): Promise<void> {
  await tx.query('insert into kp_refresh (on_date, trigger, added, removed, detail) values ($1, $2, $3, $4, $5)', [
    r.on_date,
    r.trigger,
    r.added,
    r.removed,
    JSON.stringify(r.detail),
  ]);
}

export async function lastRefresh(tx: Queryable): Promise<{ on_date: string; trigger: string; added: number; removed: number; at: Date | string } | null> {
  const [r] = await tx.query<{ on_date: string; trigger: string; added: number; removed: number; at: Date | string }>(
    'select on_date, trigger, added, removed, at from kp_refresh order by id desc limit 1',
  );
  return r ?? null;
}
