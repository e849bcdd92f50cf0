import type { Queryable } from '../../../platform/db/types.ts';
import { one, type Sql, sql, where } from '../../../platform/db/index.ts';
import type { CheckRun } from './responses.ts';
import type { DqDefinition } from './definition.ts';
import type { HitsSql } from './hits-sql.ts';

export interface DqRuleRow {
  id: number;
  code: string | null;
  kind: string;
  title: string;
  source: string;
  field: string;
  definition: DqDefinition;
  sentence: string;
  suggestion: string;
  severity: string;
  enabled: boolean;
  version: number;
  builtin: boolean;
  updated_at: Date;
}

const RULE =
  'select id::int as id, code, kind, title, source, field, definition, sentence, suggestion, severity, enabled, version, builtin, updated_at from dq_rule';

export async function listRules(tx: Queryable, f: { enabled?: boolean } = {}): Promise<DqRuleRow[]> {
  return f.enabled === undefined ? tx.query<DqRuleRow>(`${RULE} order by id`) : tx.query<DqRuleRow>(`${RULE} where enabled = $1 order by id`, [f.enabled]);
}

export async function findRule(tx: Queryable, id: number, forUpdate = false): Promise<DqRuleRow | null> {
  const [r] = await tx.query<DqRuleRow>(`${RULE} where id = $1${forUpdate ? ' for update' : ''}`, [id]);
  return r ?? null;
}

export async function ruleIdByCode(tx: Queryable, code: string): Promise<number | null> {
  const [r] = await tx.query<{ id: number }>('select id::int as id from dq_rule where code = $1', [code]);
  return r?.id ?? null;
}

export async function insertRule(
  tx: Queryable,
  r: {
    code: string | null;
    kind: string;
    title: string;
    source: string;
    field: string;
    definition: DqDefinition;
    sentence: string;
    suggestion: string;
    severity: string;
    builtin: boolean;
    createdBy: string;
  },
): Promise<number> {
  const row = await one<{ id: number }>(
    tx,
    sql`insert into dq_rule (code, kind, title, source, field, definition, sentence, suggestion, severity, builtin, created_by)
     values (${r.code}, ${r.kind}, ${r.title}, ${r.source}, ${r.field}, ${JSON.stringify(r.definition)}, ${r.sentence}, ${r.suggestion}, ${r.severity}, ${r.builtin}, ${r.createdBy}) returning id::int as id`,
  );
  return row.id;
}

export async function setEnabled(tx: Queryable, id: number, enabled: boolean): Promise<void> {
  await tx.query('update dq_rule set enabled = $2, updated_at = now() where id = $1', [id, enabled]);
}

// ——— runs ———

export async function insertRun(tx: Queryable, requestedBy: string): Promise<number> {
  const r = await one<{ id: number }>(tx, sql`insert into dq_run (requested_by) values (${requestedBy}) returning id::int as id`);
  return r.id;
}

export async function setRunJob(tx: Queryable, id: number, jobRunId: number): Promise<void> {
  await tx.query('update dq_run set job_run_id = $2 where id = $1', [id, jobRunId]);
}

export async function startRun(tx: Queryable, id: number, jobRunId: number): Promise<boolean> {
  const r = await tx.query('update dq_run set status = $2, started_at = now(), job_run_id = coalesce(job_run_id, $3) where id = $1 returning id', [
    id,
    'running',
    jobRunId,
  ]);
  return r.length > 0;
}

export async function finishRun(tx: Queryable, id: number, s: { status: string; rules: number; found: number; opened: number; closed: number }): Promise<void> {
  await tx.query('update dq_run set status = $2, rules = $3, found = $4, opened = $5, closed = $6, finished_at = now() where id = $1', [
    id,
    s.status,
    s.rules,
    s.found,
    s.opened,
    s.closed,
  ]);
}

export async function listRuns(tx: Queryable, limit = 20): Promise<CheckRun[]> {
  const rows = await tx.query<
    Omit<CheckRun, 'started_at' | 'finished_at' | 'created_at'> & { started_at: Date | null; finished_at: Date | null; created_at: Date }
  >('select id::int as id, status, requested_by, rules, found, opened, closed, started_at, finished_at, created_at from dq_run order by id desc limit $1', [
    limit,
  ]);
  return rows.map((r) => ({
    ...r,
    started_at: r.started_at?.toISOString() ?? null,
    finished_at: r.finished_at?.toISOString() ?? null,
    created_at: r.created_at.toISOString(),
  }));
}

/** Flags the rule's current hits: new rows become open anomalies; live ones are refreshed (a fixed one still wrong reopens). */
export async function upsertAnomalies(tx: Queryable, h: HitsSql, r: DqRuleRow, runId: number): Promise<{ found: number; opened: number }> {
  const rows = await tx.query<{ inserted: boolean }>(
    sql`insert into dq_anomaly (rule_id, rule_version, kind, source, object_key, institution_id, institution_name, district_code, field, current_value, suggested_value, found_run_id, last_seen_run_id)
     select ${r.id}::int8, ${r.version}::int4, ${r.kind}::text, ${r.source}::text, h.k, h.inst, h.inst_name, h.district, ${r.field}::text, h.value, h.suggested, ${runId}::int8, ${runId}::int8
       from (${h}) h
     on conflict (rule_id, object_key) where status in ('open', 'fixed') do update
       set last_seen_run_id = excluded.last_seen_run_id, rule_version = excluded.rule_version, current_value = excluded.current_value,
           suggested_value = excluded.suggested_value, status = 'open'
     returning (xmax = 0) as inserted`,
  );
  return { found: rows.length, opened: rows.filter((x) => x.inserted).length };
}

/** Live anomalies of the rule the run did not find again are closed (fixed, or corrected at the source). */
export async function closeUnseen(tx: Queryable, ruleId: number, runId: number): Promise<number> {
  const r = await one<{ n: number }>(
    tx,
    sql`with c as (update dq_anomaly set status = 'closed', closed_at = now()
       where rule_id = ${ruleId} and status in ('open', 'fixed') and last_seen_run_id <> ${runId} returning 1)
     select count(*)::int as n from c`,
  );
  return r.n;
}

// ——— anomalies ———

export interface AnomalyRow {
  id: number;
  rule_id: number;
  rule_title: string;
  kind: string;
  severity: string;
  suggestion: string;
  source: string;
  object_key: string;
  institution_id: number;
  institution_name: string | null;
  district_code: string;
  field: string;
  current_value: string | null;
  suggested_value: string | null;
  status: string;
  found_at: Date;
  fixed_at: Date | null;
  fixed_by: string | null;
  closed_at: Date | null;
}

export interface AnomalyFilter {
  kind?: string;
  status?: string;
  ruleId?: number;
  institutionId?: number;
}

const ANOMALY = `select a.id::int as id, a.rule_id::int as rule_id, r.title as rule_title, a.kind, r.severity, r.suggestion, a.source, a.object_key,
  a.institution_id::int as institution_id, a.institution_name, a.district_code, a.field, a.current_value, a.suggested_value, a.status,
  a.found_at, a.fixed_at, a.fixed_by, a.closed_at
  from dq_anomaly a join dq_rule r on r.id = a.rule_id`;

function anomalyWhere(f: AnomalyFilter): Sql {
  return where([
    f.kind && sql`a.kind = ${f.kind}`,
    f.status && sql`a.status = ${f.status}`,
    f.ruleId && sql`a.rule_id = ${f.ruleId}`,
    f.institutionId && sql`a.institution_id = ${f.institutionId}`,
  ]);
}

export async function listAnomalies(tx: Queryable, f: AnomalyFilter, page: { limit: number; offset: number }): Promise<{ rows: AnomalyRow[]; total: number }> {
  const w = anomalyWhere(f);
  const rows = await tx.query<AnomalyRow>(sql`${sql.raw(ANOMALY)} ${w} order by a.id desc limit ${page.limit} offset ${page.offset}`);
  const t = await one<{ n: number }>(tx, sql`select count(*)::int as n from dq_anomaly a ${w}`);
  return { rows, total: t.n };
}

export async function findAnomaly(tx: Queryable, id: number, forUpdate = false): Promise<AnomalyRow | null> {
  const [r] = await tx.query<AnomalyRow>(`${ANOMALY} where a.id = $1${forUpdate ? ' for update of a' : ''}`, [id]);
  return r ?? null;
}

export async function markFixed(tx: Queryable, id: number, by: string, value: string): Promise<void> {
  await tx.query(`update dq_anomaly set status = 'fixed', fixed_at = now(), fixed_by = $2, current_value = $3 where id = $1`, [id, by, value]);
}

export async function insertCorrection(
  tx: Queryable,
  c: {
    anomalyId: number;
    source: string;
    objectKey: string;
    field: string;
    before: string | null;
    after: string;
    note: string | null;
    institutionId: number;
    district: string;
    by: string;
  },
): Promise<number> {
  const r = await one<{ id: number }>(
    tx,
    sql`insert into dq_correction (anomaly_id, source, object_key, field, before_value, after_value, note, institution_id, district_code, corrected_by)
     values (${c.anomalyId}, ${c.source}, ${c.objectKey}, ${c.field}, ${c.before}, ${c.after}, ${c.note}, ${c.institutionId}, ${c.district}, ${c.by}) returning id::int as id`,
  );
  return r.id;
}

export async function listCorrections(tx: Queryable, anomalyId: number) {
  return tx.query<{
    id: number;
    field: string;
    before_value: string | null;
    after_value: string | null;
    note: string | null;
    corrected_by: string;
    corrected_at: Date;
  }>('select id::int as id, field, before_value, after_value, note, corrected_by, corrected_at from dq_correction where anomaly_id = $1 order by id', [
    anomalyId,
  ]);
}

// ——— summaries (report, overview) ———

export async function countsByKind(tx: Queryable) {
  return tx.query<{ kind: string; status: string; n: number }>('select kind, status, count(*)::int as n from dq_anomaly group by 1, 2 order by 1, 2');
}

export async function countsByInstitution(tx: Queryable, limit = 50) {
  return tx.query<{ institution_id: number; institution_name: string | null; district_code: string; open: number; fixed: number; closed: number }>(
    `select institution_id::int as institution_id, max(institution_name) as institution_name, max(district_code) as district_code,
       count(*) filter (where status = 'open')::int as open, count(*) filter (where status = 'fixed')::int as fixed, count(*) filter (where status = 'closed')::int as closed
     from dq_anomaly group by institution_id order by open desc, institution_id limit $1`,
    [limit],
  );
}

export async function countsByRule(tx: Queryable) {
  return tx.query<{ rule_id: number; title: string; kind: string; severity: string; suggestion: string; open: number; fixed: number; closed: number }>(
    `select r.id::int as rule_id, r.title, r.kind, r.severity, r.suggestion,
       count(a.id) filter (where a.status = 'open')::int as open, count(a.id) filter (where a.status = 'fixed')::int as fixed, count(a.id) filter (where a.status = 'closed')::int as closed
     from dq_rule r left join dq_anomaly a on a.rule_id = r.id group by r.id order by open desc, r.id`,
  );
}
