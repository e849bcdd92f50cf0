import { one, sql, where } from '../../../platform/db/index.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import type { CompiledRuleSql } from '../../../platform/rules/index.ts';
import { criteria, type Policy } from './eligibility.ts';
import type { ChildFacts, FieldRequirement } from './prefill.ts';

/** The childcare-subsidy module's SQL; row-level security scopes cs_child, cs_candidate and cs_grant. */

export async function getPolicy(tx: Queryable): Promise<Policy & { updatedBy: string | null; updatedAt: Date }> {
  // Seeded by the module's first migration: the one policy row is always there.
  const r = await one<{ start_date: string; max_age_years: number; version: number; updated_by: string | null; updated_at: Date }>(
    tx,
    sql`select * from cs_policy where id = 1`,
  );
  return { startDate: r.start_date, maxAgeYears: r.max_age_years, version: r.version, updatedBy: r.updated_by, updatedAt: r.updated_at };
}

export async function updatePolicy(tx: Queryable, p: { startDate: string; maxAgeYears: number }, by: string): Promise<void> {
  await tx.query('update cs_policy set start_date = $1, max_age_years = $2, version = version + 1, updated_by = $3, updated_at = now() where id = 1', [
    p.startDate,
    p.maxAgeYears,
    by,
  ]);
}

export function fieldRequirements(tx: Queryable): Promise<FieldRequirement[]> {
  return tx.query<FieldRequirement>('select field, title, required from cs_field_requirement order by sort, field');
}

/** The few facts of a person the screening snapshot needs (masked; the person's row policy applies). */
export interface PersonFacts {
  id: number;
  name: string;
  id_number_mask: string;
  phone_mask: string | null;
  birth_date: string;
  hukou_district: string | null;
  residence_district: string;
  residence_street: string | null;
  status: 'alive' | 'dead';
}

/**
 * Children and parents by id, only the columns the snapshot uses. Why not the resident index's
 * getPeople: a screening reads 400,000+ people, and the full view (every column, ages, sealed fields)
 * was a third of the screening's CPU time. Read-only, masked values only, under the caller's scope.
 */
export async function personFacts(tx: Queryable, ids: readonly number[]): Promise<Map<number, PersonFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<PersonFacts>(
    `select id::int as id, name, id_number_mask, phone_mask, birth_date::text as birth_date, hukou_district, residence_district, residence_street, status
       from person where id = any($1::bigint[])`,
    [[...new Set(ids)]],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

export async function grantedChildren(tx: Queryable): Promise<Set<number>> {
  return new Set((await tx.query<{ id: number }>('select child_person_id as id from cs_grant')).map((r) => Number(r.id)));
}

export interface ChildRow extends ChildFacts {
  district_code: string | null;
  street_code: string | null;
  status: string;
  already_granted: boolean;
  parents_verified: boolean;
  problems: string[];
  conflicts: string[];
  mother_person_id: number | null;
  father_person_id: number | null;
  facts_hash: string;
}

const CHILD_COLS: [string, string][] = [
  ['person_id', 'bigint'],
  ['district_code', 'text'],
  ['street_code', 'text'],
  ['name_mask', 'text'],
  ['id_mask', 'text'],
  ['birth_date', 'date'],
  ['hukou_district', 'text'],
  ['status', 'text'],
  ['already_granted', 'boolean'],
  ['parents_verified', 'boolean'],
  ['problems', 'text[]'],
  ['conflicts', 'text[]'],
  ['mother_person_id', 'bigint'],
  ['father_person_id', 'bigint'],
  ['birth_order', 'int'],
  ['birth_order_review', 'boolean'],
  ['applicant_person_id', 'bigint'],
  ['applicant_relation', 'text'],
  ['applicant_name_mask', 'text'],
  ['applicant_id_mask', 'text'],
  ['applicant_phone', 'boolean'],
  ['facts_hash', 'text'],
];

/** Upserts the snapshot; a row's changed_at moves only when its facts changed. Returns how many changed. */
export async function upsertChildren(tx: Queryable, rows: ChildRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const names = CHILD_COLS.map(([n]) => n);
  const changed = await tx.query(
    `insert into cs_child (${names.join(', ')}, changed_at)
     select ${names.join(', ')}, now() from jsonb_to_recordset($1::jsonb) as x(${CHILD_COLS.map(([n, t]) => `${n} ${t}`).join(', ')})
     on conflict (person_id) do update set ${names
       .filter((n) => n !== 'person_id')
       .map((n) => `${n} = excluded.${n}`)
       .join(', ')}, changed_at = now()
     where cs_child.facts_hash <> excluded.facts_hash
     returning person_id`,
    [JSON.stringify(rows)],
  );
  return changed.length;
}

/** Children whose age limit fell between two screening dates count as changed (their verdict may flip). */
export async function touchAgedOut(tx: Queryable, fromAsOf: string, toAsOf: string, years: number): Promise<number> {
  const rows = await tx.query(
    `update cs_child set changed_at = now()
      where birth_date > ($1::date - make_interval(years => $3::int))::date and birth_date <= ($2::date - make_interval(years => $3::int))::date
      returning person_id`,
    [fromAsOf, toAsOf, years],
  );
  return rows.length;
}

export interface RunRow {
  id: number;
  mode: 'full' | 'incremental';
  status: string;
  as_of: string | null;
  base_run_id: number | null;
  config_hash: string | null;
  rule_text: string | null;
  judged: number | null;
  carried: number | null;
  refreshed: number | null;
  requested_by: string | null;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export async function insertRun(tx: Queryable, mode: string, asOf: string | null, by: string): Promise<number> {
  const r = await one<{ id: number }>(tx, sql`insert into cs_screening_run (mode, as_of, requested_by) values (${mode}, ${asOf}, ${by}) returning id`);
  return Number(r.id);
}

export async function setRunJob(tx: Queryable, id: number, jobRunId: number): Promise<void> {
  await tx.query('update cs_screening_run set job_run_id = $2 where id = $1', [id, jobRunId]);
}

export async function findRun(tx: Queryable, id: number): Promise<RunRow | null> {
  const [r] = await tx.query<RunRow>('select * from cs_screening_run where id = $1', [id]);
  return r ?? null;
}

export async function lastSucceeded(tx: Queryable, exceptId?: number): Promise<RunRow | null> {
  const [r] = await tx.query<RunRow>(`select * from cs_screening_run where status = 'succeeded' and id <> $1 order by id desc limit 1`, [exceptId ?? 0]);
  return r ?? null;
}

export async function updateRun(tx: Queryable, id: number, cols: Record<string, unknown>): Promise<void> {
  const sets = Object.entries(cols)
    .filter(([k]) => /^[a-z_]+$/.test(k))
    .map(([k, v]) => sql`${sql.raw(k)} = ${v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v}`);
  await tx.query(sql`update cs_screening_run set ${sql.join(sets)} where id = ${id}`);
}

/** The compiled verdict rule, run inside the database: one candidate row per judged child. */
export async function insertVerdicts(tx: Queryable, runId: number, compiled: CompiledRuleSql, policy: Policy): Promise<number> {
  const col = (name: string) => sql.raw(`h.c${compiled.columns.indexOf(name)}`);
  const reasons = criteria(policy).map((c) => sql`case when coalesce(${col(c.reason)}, false) then null else ${c.reason}::text end`);
  const rows = await tx.query(
    sql`insert into cs_candidate (run_id, child_person_id, district_code, street_code, name_mask, id_mask, birth_date, eligible, reasons, problems, birth_order, judged)
     select ${runId}::int8, c.person_id, c.district_code, c.street_code, c.name_mask, c.id_mask, c.birth_date, coalesce(${col('eligible')}, false),
            array_remove(array[${sql.join(reasons)}]::text[], null), c.problems, c.birth_order, true
       from (${compiled.sql}) h join cs_child c on c.person_id = h.key
     returning child_person_id`,
  );
  return rows.length;
}

/** Unchanged children keep the verdict and draft of the base run. */
export async function carryOver(tx: Queryable, runId: number, baseRunId: number): Promise<number> {
  const rows = await tx.query(
    `insert into cs_candidate (run_id, child_person_id, district_code, street_code, name_mask, id_mask, birth_date, eligible, reasons, problems, birth_order, judged, prefill_complete, prefill_missing, draft)
     select $1, b.child_person_id, b.district_code, b.street_code, b.name_mask, b.id_mask, b.birth_date, b.eligible, b.reasons, b.problems, b.birth_order, false, b.prefill_complete, b.prefill_missing, b.draft
       from cs_candidate b
      where b.run_id = $2 and not exists (select 1 from cs_candidate n where n.run_id = $1 and n.child_person_id = b.child_person_id)
     returning child_person_id`,
    [runId, baseRunId],
  );
  return rows.length;
}

export function judgedEligibleFacts(tx: Queryable, runId: number): Promise<ChildFacts[]> {
  return tx.query<ChildFacts>(
    `select c.* from cs_candidate k join cs_child c on c.person_id = k.child_person_id where k.run_id = $1 and k.judged and k.eligible order by c.person_id`,
    [runId],
  );
}

/**
 * Writes the pre-filled drafts of a run in one pass: the drafts go to a temporary table first (in
 * chunks, no scope checks there), then one update joins it with the run's candidates. Updating per
 * chunk instead re-scans the run's candidates (and checks their row policy) once per chunk.
 */
export async function savePrefills(tx: Queryable, runId: number, rows: { id: number; complete: boolean; missing: unknown; draft: unknown }[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query('create temporary table cs_prefill_batch (id bigint primary key, complete boolean, missing jsonb, draft jsonb) on commit drop');
  for (let i = 0; i < rows.length; i += 5_000) {
    await tx.query(
      `insert into cs_prefill_batch select x.id, x.complete, x.missing, x.draft from jsonb_to_recordset($1::jsonb) as x(id bigint, complete boolean, missing jsonb, draft jsonb)`,
      [JSON.stringify(rows.slice(i, i + 5_000))],
    );
  }
  await tx.query('analyze cs_prefill_batch');
  await tx.query(
    `update cs_candidate k set prefill_complete = x.complete, prefill_missing = x.missing, draft = x.draft
       from cs_prefill_batch x where k.run_id = $1 and k.child_person_id = x.id`,
    [runId],
  );
  await tx.query('drop table cs_prefill_batch');
}

export interface Counts {
  total: number;
  eligible: number;
  excluded: number;
  prefillComplete: number;
  prefillIncomplete: number;
  byReason: Record<string, number>;
  missingByField: Record<string, number>;
}

/** Counts of one run inside the caller's scope. */
export async function runCounts(tx: Queryable, runId: number): Promise<Counts> {
  const c = await one<{ total: number; eligible: number; complete: number; incomplete: number }>(
    tx,
    sql`select count(*)::int as total, count(*) filter (where eligible)::int as eligible,
            count(*) filter (where eligible and prefill_complete)::int as complete, count(*) filter (where eligible and not prefill_complete)::int as incomplete
       from cs_candidate where run_id = ${runId}`,
  );
  const reasons = await tx.query<{ r: string; n: number }>('select r, count(*)::int as n from cs_candidate, unnest(reasons) r where run_id = $1 group by r', [
    runId,
  ]);
  const missing = await tx.query<{ f: string; n: number }>(
    `select m->>'field' as f, count(*)::int as n from cs_candidate, jsonb_array_elements(coalesce(prefill_missing, '[]'::jsonb)) m where run_id = $1 and eligible group by 1`,
    [runId],
  );
  return {
    total: c.total,
    eligible: c.eligible,
    excluded: c.total - c.eligible,
    prefillComplete: c.complete,
    prefillIncomplete: c.incomplete,
    byReason: Object.fromEntries(reasons.map((r) => [r.r, r.n])),
    missingByField: Object.fromEntries(missing.map((m) => [m.f, m.n])),
  };
}

export async function listRuns(tx: Queryable, p: { limit: number; offset: number }): Promise<{ rows: RunRow[]; total: number }> {
  const c = await one<{ n: number }>(tx, sql`select count(*)::int as n from cs_screening_run`);
  const rows = await tx.query<RunRow>('select * from cs_screening_run order by id desc limit $1 offset $2', [p.limit, p.offset]);
  return { rows, total: c.n };
}

export interface CandidateRow {
  child_person_id: number;
  district_code: string | null;
  street_code: string | null;
  name_mask: string;
  id_mask: string | null;
  birth_date: string;
  eligible: boolean;
  reasons: string[];
  problems: string[];
  birth_order: number | null;
  judged: boolean;
  prefill_complete: boolean | null;
  prefill_missing: { field: string; title: string; reason: string }[] | null;
  draft: unknown;
}

export async function listCandidates(
  tx: Queryable,
  runId: number,
  f: { eligible?: boolean; reason?: string; prefill?: 'complete' | 'incomplete'; district?: string },
  p: { limit: number; offset: number },
): Promise<{ rows: CandidateRow[]; total: number }> {
  const w = where([
    sql`run_id = ${runId}`,
    f.eligible !== undefined && sql`eligible = ${f.eligible}`,
    f.reason && sql`${f.reason}::text = any(reasons)`,
    f.prefill && sql`eligible and prefill_complete = ${f.prefill === 'complete'}`,
    f.district && sql`district_code = ${f.district}`,
  ]);
  const c = await one<{ n: number }>(tx, sql`select count(*)::int as n from cs_candidate ${w}`);
  const rows = await tx.query<CandidateRow>(
    sql`select child_person_id::int as child_person_id, district_code, street_code, name_mask, id_mask, birth_date, eligible, reasons, problems, birth_order, judged, prefill_complete, prefill_missing, draft
       from cs_candidate ${w} order by eligible desc, child_person_id limit ${p.limit} offset ${p.offset}`,
  );
  return { rows, total: c.n };
}
