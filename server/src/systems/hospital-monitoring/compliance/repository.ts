import { one, type Sql, sql, where } from '../../../platform/db/index.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import type { CompiledRuleSql } from '../../../platform/rules/index.ts';
import type { FindingSource } from './catalog.ts';

// The module's SQL, in one place. Rule SQL comes from the platform compiler; the text around it here is
// fixed (no input is ever pasted): every value is a parameter.

export interface RuleTree {
  source: string;
  when: unknown;
  select?: { name: string; title?: string; expr: unknown }[];
}

export interface RuleRow {
  id: number;
  code: string | null;
  category: string;
  title: string;
  enabled: boolean;
  current_version: number;
  builtin: boolean;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  tree: RuleTree;
  sentence: string;
}

const RULE_COLUMNS = `r.id::int as id, r.code, r.category, r.title, r.enabled, r.current_version, r.builtin, r.created_by, r.created_at, r.updated_at, v.tree, v.sentence`;

export async function insertRule(
  tx: Queryable,
  r: { code: string | null; category: string; title: string; enabled: boolean; builtin: boolean; createdBy: string },
): Promise<number> {
  const row = await one<{ id: number }>(
    tx,
    sql`insert into cm_rule (code, category, title, enabled, builtin, created_by) values (${r.code}, ${r.category}, ${r.title}, ${r.enabled}, ${r.builtin}, ${r.createdBy}) returning id::int as id`,
  );
  return row.id;
}

export async function insertVersion(tx: Queryable, ruleId: number, version: number, tree: RuleTree, sentence: string, createdBy: string): Promise<void> {
  await tx.query(`insert into cm_rule_version (rule_id, version, tree, sentence, created_by) values ($1, $2, $3, $4, $5)`, [
    ruleId,
    version,
    JSON.stringify(tree),
    sentence,
    createdBy,
  ]);
}

export async function setCurrentVersion(tx: Queryable, ruleId: number, version: number, title: string): Promise<void> {
  await tx.query(`update cm_rule set current_version = $2, title = $3, updated_at = now() where id = $1`, [ruleId, version, title]);
}

export async function setEnabled(tx: Queryable, ruleId: number, enabled: boolean): Promise<void> {
  await tx.query(`update cm_rule set enabled = $2, updated_at = now() where id = $1`, [ruleId, enabled]);
}

export async function findRule(tx: Queryable, id: number, forUpdate = false): Promise<RuleRow | null> {
  const rows = await tx.query<RuleRow>(
    `select ${RULE_COLUMNS} from cm_rule r join cm_rule_version v on v.rule_id = r.id and v.version = r.current_version where r.id = $1${forUpdate ? ' for update of r' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function ruleIdByCode(tx: Queryable, code: string): Promise<number | null> {
  const [row] = await tx.query<{ id: number }>('select id::int as id from cm_rule where code = $1', [code]);
  return row?.id ?? null;
}

export async function listRules(
  tx: Queryable,
  f: { category?: string; enabled?: boolean; ids?: number[] },
  page: { limit: number; offset: number },
): Promise<{ rows: RuleRow[]; total: number }> {
  const w = where([
    f.category !== undefined && sql`r.category = ${f.category}`,
    f.enabled !== undefined && sql`r.enabled = ${f.enabled}`,
    f.ids !== undefined && sql`r.id = any(${f.ids}::int8[])`,
  ]);
  const { n } = await one<{ n: number }>(tx, sql`select count(*)::int as n from cm_rule r ${w}`);
  const rows = await tx.query<RuleRow>(
    sql`select ${sql.raw(RULE_COLUMNS)} from cm_rule r join cm_rule_version v on v.rule_id = r.id and v.version = r.current_version ${w}
      order by r.category, r.id limit ${page.limit} offset ${page.offset}`,
  );
  return { rows, total: n };
}

export async function listVersions(tx: Queryable, ruleId: number) {
  return tx.query<{ version: number; sentence: string; created_by: string; created_at: Date }>(
    'select version, sentence, created_by, created_at from cm_rule_version where rule_id = $1 order by version desc',
    [ruleId],
  );
}

// ---------------------------------------------------------------- runs

export async function insertRun(
  tx: Queryable,
  r: { mode: string; ruleIds: number[] | null; requestedBy: string; ruleSetId?: number | null; trigger?: 'manual' | 'schedule' },
): Promise<number> {
  const row = await one<{ id: number }>(
    tx,
    sql`insert into cm_run (mode, rule_ids, requested_by, rule_set_id, trigger) values (${r.mode}, ${r.ruleIds}, ${r.requestedBy}, ${r.ruleSetId ?? null}, ${r.trigger ?? 'manual'}) returning id::int as id`,
  );
  return row.id;
}

export async function setRunJob(tx: Queryable, runId: number, jobRunId: number): Promise<void> {
  await tx.query('update cm_run set job_run_id = $2 where id = $1', [runId, jobRunId]);
}

export async function findRun(tx: Queryable, runId: number) {
  const [row] = await tx.query<{ id: number; mode: 'full' | 'incremental'; rule_ids: number[] | null; status: string }>(
    'select id::int as id, mode, rule_ids, status from cm_run where id = $1',
    [runId],
  );
  return row ?? null;
}

/**
 * Marks the run running. An execution again (after an interruption or a failed attempt) keeps the first
 * start: the steps finished before it read rows changed up to then, and incremental runs start from it.
 */
export async function startRun(tx: Queryable, runId: number, jobRunId: number): Promise<void> {
  await tx.query(`update cm_run set status = 'running', started_at = coalesce(started_at, now()), job_run_id = coalesce(job_run_id, $2) where id = $1`, [
    runId,
    jobRunId,
  ]);
}

export async function finishRun(tx: Queryable, runId: number, status: 'succeeded' | 'failed'): Promise<void> {
  await tx.query(
    `update cm_run set status = $2, finished_at = now(),
       hits = coalesce((select sum(hits) from cm_run_rule where run_id = $1), 0),
       inserted = coalesce((select sum(inserted) from cm_run_rule where run_id = $1), 0)
     where id = $1`,
    [runId, status],
  );
}

export async function recordRunRule(
  tx: Queryable,
  r: { runId: number; ruleId: number; version: number; since: Date | null; hits: number; inserted: number; ms: number; error: string | null },
): Promise<void> {
  await tx.query(
    `insert into cm_run_rule (run_id, rule_id, rule_version, since, hits, inserted, ms, error) values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (run_id, rule_id) do update set rule_version = excluded.rule_version, since = excluded.since, hits = excluded.hits,
       inserted = excluded.inserted, ms = excluded.ms, error = excluded.error`,
    [r.runId, r.ruleId, r.version, r.since, r.hits, r.inserted, r.ms, r.error],
  );
}

/** When the last successful run of this rule version started (incremental runs read rows changed since). */
export async function lastRunStart(tx: Queryable, ruleId: number, version: number, exceptRun: number): Promise<Date | null> {
  const [row] = await tx.query<{ at: Date | null }>(
    `select max(r.started_at) as at from cm_run_rule rr join cm_run r on r.id = rr.run_id
      where rr.rule_id = $1 and rr.rule_version = $2 and rr.error is null and r.id <> $3 and r.started_at is not null`,
    [ruleId, version, exceptRun],
  );
  return row?.at ?? null;
}

export async function listRuns(tx: Queryable, page: { limit: number; offset: number }, ruleSetId?: number) {
  const w = where([ruleSetId !== undefined && sql`r.rule_set_id = ${ruleSetId}`]);
  const { n } = await one<{ n: number }>(tx, sql`select count(*)::int as n from cm_run r ${w}`);
  const rows = await tx.query<Record<string, unknown>>(
    sql`select r.id::int as id, r.job_run_id::int as "jobRunId", r.mode, r.status, r.rule_ids::int[] as "ruleIds", r.requested_by as "requestedBy",
            r.rule_set_id::int as "ruleSetId", s.name as "ruleSetName", r.trigger,
            j.progress_done::int as "progressDone", j.progress_total::int as "progressTotal",
            r.hits, r.inserted, r.started_at as "startedAt", r.finished_at as "finishedAt", r.created_at as "createdAt",
            coalesce((select json_agg(json_build_object('ruleId', rr.rule_id, 'title', c.title, 'version', rr.rule_version, 'hits', rr.hits,
                        'inserted', rr.inserted, 'ms', rr.ms, 'error', rr.error) order by rr.rule_id)
                      from cm_run_rule rr join cm_rule c on c.id = rr.rule_id where rr.run_id = r.id), '[]') as rules
       from cm_run r left join cm_rule_set s on s.id = r.rule_set_id left join job_run j on j.id = r.job_run_id
       ${w} order by r.id desc limit ${page.limit} offset ${page.offset}`,
  );
  return { rows, total: n };
}

// ---------------------------------------------------------------- findings

/**
 * Per finding source: the columns placing a hit (`h.key`) in its context — institution, encounter,
 * department, doctor, masked patient, items, amount, service date. Fixed text.
 */
const CONTEXT: Record<FindingSource, string> = {
  fee_line: `select h.key, f.institution_id, f.district_code, e.id as encounter_id, e.department_id, coalesce(f.practitioner_id, e.practitioner_id) as practitioner_id,
      e.patient_mask, f.item_name as items, f.amount, f.charged_on as found_on, h.detail
    from h join hm_fee_line f on f.id = h.key join hm_encounter e on e.id = f.encounter_id`,
  procedure: `select h.key, p.institution_id, p.district_code, e.id as encounter_id, e.department_id, coalesce(p.surgeon_id, e.practitioner_id) as practitioner_id,
      e.patient_mask, p.procedure_name as items, null::numeric as amount, p.performed_on as found_on, h.detail
    from h join hm_procedure p on p.id = h.key join hm_encounter e on e.id = p.encounter_id`,
  diagnosis: `select h.key, d.institution_id, d.district_code, e.id as encounter_id, e.department_id, e.practitioner_id,
      e.patient_mask, d.icd_code || ' ' || d.icd_name as items, null::numeric as amount, d.diagnosed_on as found_on, h.detail
    from h join hm_diagnosis d on d.id = h.key join hm_encounter e on e.id = d.encounter_id`,
  encounter: `select h.key, e.institution_id, e.district_code, e.id as encounter_id, e.department_id, e.practitioner_id,
      e.patient_mask, null::text as items, null::numeric as amount, e.admitted_on as found_on, h.detail
    from h join hm_encounter e on e.id = h.key`,
};

/** The compiled rule as CTE `h (key, detail)`: select items become a jsonb object keyed by their names (parameters). */
function hitsCte(c: CompiledRuleSql): Sql {
  const pairs = c.columns.map((name, i) => sql`${name}::text, ${sql.raw(`r.c${i}`)}`);
  const detail = pairs.length ? sql`jsonb_build_object(${sql.join(pairs)})` : sql`'{}'::jsonb`;
  return sql`with h as (select r.key, ${detail} as detail from (${c.sql}) r)`;
}

/**
 * Runs the rule inside the database and stores its new hits as findings (existing ones are kept).
 * The hits land in a temporary table first and are analysed: the planner cannot tell how many rows a
 * window condition keeps ("per-stay sum > 50,000" keeps 4,000 of 10,000,000 and is guessed at a third),
 * and with the guess it would hash the whole fee-line and encounter tables to add each hit's context
 * instead of looking the few hits up by key.
 */
export async function insertFindings(
  tx: Queryable,
  source: FindingSource,
  c: CompiledRuleSql,
  f: { ruleId: number; version: number; category: string; runId: number },
): Promise<{ hits: number; inserted: number }> {
  const h = hitsCte(c);
  await tx.exec('create temp table if not exists cm_hits (key bigint not null, detail jsonb not null) on commit drop');
  const { hits } = await one<{ hits: number }>(
    tx,
    sql`${h}, i as (insert into cm_hits select key, detail from h returning 1) select count(*)::int as hits from i`,
  );
  await tx.exec('analyze cm_hits');
  const row = await one<{ inserted: number }>(
    tx,
    // h is inlined (referenced once), so the planner sees cm_hits and its statistics.
    sql`with h as (select key, detail from cm_hits), x as (${sql.raw(CONTEXT[source])}),
    ins as (insert into cm_finding (rule_id, rule_version, category, source, object_key, institution_id, district_code, encounter_id, department_id,
              practitioner_id, patient_mask, items, amount, found_on, detail, run_id)
            select ${f.ruleId}::int8, ${f.version}::int4, ${f.category}::text, ${source}::text, x.key::text, x.institution_id, x.district_code, x.encounter_id,
                   x.department_id, x.practitioner_id, x.patient_mask, x.items, x.amount, x.found_on, x.detail, ${f.runId}::int8 from x
            on conflict (rule_id, object_key) do nothing returning 1)
    select count(*)::int as inserted from ins`,
  );
  await tx.exec('drop table cm_hits');
  return { hits, inserted: row.inserted };
}

/** The first hits of a compiled (limited) rule, in context, for previews. */
export async function previewRows(tx: Queryable, source: FindingSource, c: CompiledRuleSql) {
  const h = hitsCte(c);
  return tx.query<Record<string, unknown>>(
    sql`${h}, x as (${sql.raw(CONTEXT[source])})
     select x.key::text as key, x.detail as values, i.name as institution, pr.name as practitioner, x.patient_mask as patient, x.items, x.amount, x.found_on as "foundOn"
       from x left join institution i on i.id = x.institution_id left join practitioner pr on pr.id = x.practitioner_id order by x.key`,
  );
}

const SOURCE_TABLE: Record<FindingSource, [string, string]> = {
  fee_line: ['hm_fee_line', 'charged_on'],
  procedure: ['hm_procedure', 'performed_on'],
  diagnosis: ['hm_diagnosis', 'diagnosed_on'],
  encounter: ['hm_encounter', 'admitted_on'],
};

export async function latestDate(tx: Queryable, source: FindingSource): Promise<string | null> {
  const [table, col] = SOURCE_TABLE[source];
  const [row] = await tx.query<{ d: string | null }>(`select max(${col}) as d from ${table}`);
  return row?.d ?? null;
}

export interface FindingFilter {
  category?: string;
  ruleId?: number;
  institutionId?: number;
  departmentId?: number;
  practitionerId?: number;
  from?: string;
  to?: string;
}

const FINDING_COLUMNS = `f.id::int as id, f.rule_id::int as "ruleId", f.rule_version as "ruleVersion", c.title as "ruleTitle", f.category, f.source,
  f.object_key as "objectKey", f.institution_id::int as "institutionId", i.name as institution, f.district_code as "districtCode",
  f.encounter_id::int as "encounterId", f.department_id::int as "departmentId", d.name as department, f.practitioner_id::int as "practitionerId",
  p.name as practitioner, f.patient_mask as patient, f.items, f.amount, f.found_on as "foundOn", f.detail, f.run_id::int as "runId",
  f.found_at as "foundAt", v.sentence as reason`;

const FINDING_FROM = `from cm_finding f join cm_rule c on c.id = f.rule_id
  join cm_rule_version v on v.rule_id = f.rule_id and v.version = f.rule_version
  left join institution i on i.id = f.institution_id left join department d on d.id = f.department_id
  left join practitioner p on p.id = f.practitioner_id`;

export async function listFindings(tx: Queryable, f: FindingFilter, page: { limit: number; offset: number }) {
  const w = where([
    f.category !== undefined && sql`f.category = ${f.category}`,
    f.ruleId !== undefined && sql`f.rule_id = ${f.ruleId}`,
    f.institutionId !== undefined && sql`f.institution_id = ${f.institutionId}`,
    f.departmentId !== undefined && sql`f.department_id = ${f.departmentId}`,
    f.practitionerId !== undefined && sql`f.practitioner_id = ${f.practitionerId}`,
    f.from !== undefined && sql`f.found_on >= ${f.from}::date`,
    f.to !== undefined && sql`f.found_on <= ${f.to}::date`,
  ]);
  const { n } = await one<{ n: number }>(tx, sql`select count(*)::int as n from cm_finding f ${w}`);
  const rows = await tx.query<Record<string, unknown>>(
    sql`select ${sql.raw(FINDING_COLUMNS)} ${sql.raw(FINDING_FROM)} ${w} order by f.found_on desc, f.id desc limit ${page.limit} offset ${page.offset}`,
  );
  return { rows, total: n };
}

export async function findFinding(tx: Queryable, id: number) {
  const rows = await tx.query<Record<string, unknown>>(`select ${FINDING_COLUMNS} ${FINDING_FROM} where f.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function encounterRecords(tx: Queryable, encounterId: number) {
  const [encounter] = await tx.query<Record<string, unknown>>(
    `select e.id::int as id, e.kind, e.admitted_on as "admittedOn", e.discharged_on as "dischargedOn", e.patient_mask as patient, e.patient_sex as "patientSex",
            i.name as institution, d.name as department, p.name as practitioner
       from hm_encounter e left join institution i on i.id = e.institution_id left join department d on d.id = e.department_id
       left join practitioner p on p.id = e.practitioner_id where e.id = $1`,
    [encounterId],
  );
  if (!encounter) return null;
  const feeLines = await tx.query<Record<string, unknown>>(
    `select id::int as id, item_code as "itemCode", item_name as "itemName", category, qty, unit_price as "unitPrice", amount, charged_on as "chargedOn"
       from hm_fee_line where encounter_id = $1 order by charged_on, id limit 200`,
    [encounterId],
  );
  const diagnoses = await tx.query<Record<string, unknown>>(
    `select id::int as id, icd_code as "icdCode", icd_name as "icdName", is_primary as "isPrimary" from hm_diagnosis where encounter_id = $1 order by id`,
    [encounterId],
  );
  const procedures = await tx.query<Record<string, unknown>>(
    `select pr.id::int as id, pr.procedure_name as "procedureName", pr.surgery_grade as "surgeryGrade", pr.tech_code as "techCode",
            pr.performed_on as "performedOn", p.name as surgeon
       from hm_procedure pr left join practitioner p on p.id = pr.surgeon_id where pr.encounter_id = $1 order by pr.id`,
    [encounterId],
  );
  return { ...encounter, feeLines, diagnoses, procedures };
}

/** Findings per category and month in [from, to) (the caller's scope applies). */
export async function monthlyCounts(tx: Queryable, from: string, to: string) {
  return tx.query<{ category: string; month: string; n: number }>(
    `select category, to_char(date_trunc('month', found_on), 'YYYY-MM') as month, count(*)::int as n
       from cm_finding where found_on >= $1::date and found_on < $2::date group by 1, 2`,
    [from, to],
  );
}

/** Cases per category and month counting only days 1 … throughDay of each month (month-to-date comparisons). */
export async function monthToDateCounts(tx: Queryable, months: string[], throughDay: number) {
  return tx.query<{ category: string; month: string; n: number }>(
    `select category, to_char(date_trunc('month', found_on), 'YYYY-MM') as month, count(*)::int as n
       from cm_finding where to_char(found_on, 'YYYY-MM') = any($1::text[]) and extract(day from found_on) <= $2 group by 1, 2`,
    [months, throughDay],
  );
}

export async function latestFindingMonth(tx: Queryable): Promise<string | null> {
  const [row] = await tx.query<{ m: string | null }>(`select to_char(max(found_on), 'YYYY-MM') as m from cm_finding`);
  return row?.m ?? null;
}
