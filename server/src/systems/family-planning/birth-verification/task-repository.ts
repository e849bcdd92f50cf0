import { one, sql } from '../../../platform/db/index.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { findChcForStreet, getRegion } from '../../common/master-data/service.ts';
import type { Finding } from './precheck.ts';
import type { TaskResult } from './responses.ts';

/** SQL of the verification tasks, their events, intake batches and assist requests (RLS applies, see 002). */

export type TaskStatus = 'pending' | 'assisting' | 'approved' | 'rejected';
export type Decision = 'confirmed' | 'corrected' | 'invalid';

export interface TaskRow {
  id: number;
  certificate_no: string;
  batch_id: number | null;
  source_date: string;
  status: TaskStatus;
  version: number;
  verify_round: number;
  district_code: string;
  street_code: string;
  institution_id: number | null;
  child_name: string;
  child_sex: 'M' | 'F' | 'U' | null;
  birth_date: string;
  birth_weight: number | null;
  hospital: string | null;
  claimed_birth_order: number | null;
  address: string | null;
  child_person_id: number | null;
  mother_name: string;
  mother_id_enc: string;
  mother_id_bi: string;
  mother_id_mask: string;
  mother_person_id: number | null;
  father_name: string | null;
  father_id_enc: string | null;
  father_id_bi: string | null;
  father_id_mask: string | null;
  father_person_id: number | null;
  source_digest: string;
  precheck: Finding[];
  precheck_at: Date | null;
  decision: Decision | null;
  result: TaskResult | null;
  decision_note: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
function toTask(r: TaskRow): TaskRow {
  return {
    ...r,
    id: Number(r.id),
    batch_id: num(r.batch_id),
    institution_id: num(r.institution_id),
    child_person_id: num(r.child_person_id),
    mother_person_id: num(r.mother_person_id),
    father_person_id: num(r.father_person_id),
  };
}

/** The source fields of a task (what the 市妇幼 record says), as written on intake or a changed resend. */
export interface TaskSource {
  certificate_no: string;
  source_date: string;
  batch_id: number | null;
  district_code: string;
  street_code: string;
  institution_id: number | null;
  child_name: string;
  child_sex: string;
  birth_date: string;
  birth_weight: number | null;
  hospital: string | null;
  claimed_birth_order: number | null;
  address: string | null;
  child_person_id: number | null;
  mother_name: string;
  mother_id_enc: string;
  mother_id_bi: string;
  mother_id_mask: string;
  mother_person_id: number | null;
  father_name: string | null;
  father_id_enc: string | null;
  father_id_bi: string | null;
  father_id_mask: string | null;
  father_person_id: number | null;
  source_digest: string;
}
const SOURCE_COLUMNS: (keyof TaskSource)[] = [
  'certificate_no',
  'source_date',
  'batch_id',
  'district_code',
  'street_code',
  'institution_id',
  'child_name',
  'child_sex',
  'birth_date',
  'birth_weight',
  'hospital',
  'claimed_birth_order',
  'address',
  'child_person_id',
  'mother_name',
  'mother_id_enc',
  'mother_id_bi',
  'mother_id_mask',
  'mother_person_id',
  'father_name',
  'father_id_enc',
  'father_id_bi',
  'father_id_mask',
  'father_person_id',
  'source_digest',
];

export async function insertTask(tx: Queryable, s: TaskSource): Promise<TaskRow> {
  const r = await one<TaskRow>(
    tx,
    sql`insert into fp_verify_task (${sql.raw(SOURCE_COLUMNS.join(', '))}) values (${sql.join(SOURCE_COLUMNS.map((c) => sql`${s[c]}`))}) returning *`,
  );
  return toTask(r);
}

/** A changed resend: new source fields, back to pending, decision cleared, a new verification round. */
export async function revertWithSource(tx: Queryable, id: number, s: TaskSource): Promise<TaskRow> {
  const cols = SOURCE_COLUMNS.filter((c) => c !== 'certificate_no');
  // The caller holds the task locked (taskById(…, true)), so the row is there.
  const r = await one<TaskRow>(
    tx,
    sql`update fp_verify_task set ${sql.join(cols.map((c) => sql`${sql.raw(c)} = ${s[c]}`))},
       status = 'pending', verify_round = verify_round + (case when decision is null then 0 else 1 end), version = version + 1,
       decision = null, result = null, decision_note = null, decided_by = null, decided_at = null, updated_at = now()
     where id = ${id} returning *`,
  );
  return toTask(r);
}

export async function taskByCertificate(tx: Queryable, certificateNo: string): Promise<TaskRow | null> {
  const [r] = await tx.query<TaskRow>('select * from fp_verify_task where certificate_no = $1', [certificateNo]);
  return r ? toTask(r) : null;
}

export async function taskById(tx: Queryable, id: number, forUpdate = false): Promise<TaskRow | null> {
  const [r] = await tx.query<TaskRow>(`select * from fp_verify_task where id = $1${forUpdate ? ' for update' : ''}`, [id]);
  return r ? toTask(r) : null;
}

export async function setPrecheck(tx: Queryable, id: number, findings: Finding[]): Promise<void> {
  await tx.query('update fp_verify_task set precheck = $2::jsonb, precheck_at = now() where id = $1', [id, JSON.stringify(findings)]);
}

export async function setChild(tx: Queryable, id: number, childPersonId: number | null): Promise<void> {
  await tx.query('update fp_verify_task set child_person_id = $2 where id = $1', [id, childPersonId]);
}

export async function setStatus(
  tx: Queryable,
  id: number,
  change: {
    status: TaskStatus;
    decision?: Decision | null;
    result?: Record<string, unknown> | null;
    note?: string | null;
    decidedBy?: string | null;
    newRound?: boolean;
  },
): Promise<TaskRow> {
  const decided = change.decision !== undefined;
  const [r] = await tx.query<TaskRow>(
    `update fp_verify_task set status = $2, version = version + 1, updated_at = now(),
       verify_round = verify_round + (case when $8 then 1 else 0 end),
       decision = case when $3 then $4 else decision end,
       result = case when $3 then $5::jsonb else result end,
       decision_note = case when $3 then $6 else decision_note end,
       decided_by = case when $3 then $7 else decided_by end,
       decided_at = case when $3 then (case when $4::text is null then null else now() end) else decided_at end
     where id = $1 returning *`,
    [
      id,
      change.status,
      decided,
      change.decision ?? null,
      change.result === undefined || change.result === null ? null : JSON.stringify(change.result),
      change.note ?? null,
      change.decidedBy ?? null,
      change.newRound ?? false,
    ],
  );
  if (!r) throw new Error(`fp_verify_task ${id} not found (callers lock it first)`);
  return toTask(r);
}

export interface EventInput {
  action: string;
  fromStatus: TaskStatus | null;
  toStatus: TaskStatus | null;
  actor: string;
  note?: string | null;
  detail?: unknown;
}

export async function addEvent(tx: Queryable, t: TaskRow, e: EventInput): Promise<void> {
  await tx.query(
    `insert into fp_verify_task_event (task_id, action, from_status, to_status, version, verify_round, actor, note, detail, district_code, street_code, institution_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12)`,
    [
      t.id,
      e.action,
      e.fromStatus,
      e.toStatus,
      t.version,
      t.verify_round,
      e.actor,
      e.note ?? null,
      e.detail === undefined ? null : JSON.stringify(e.detail),
      t.district_code,
      t.street_code,
      t.institution_id,
    ],
  );
}

export interface EventRow {
  id: number;
  action: string;
  from_status: string | null;
  to_status: string | null;
  version: number;
  verify_round: number;
  actor: string;
  note: string | null;
  detail: unknown;
  at: Date;
}

export async function events(tx: Queryable, taskId: number): Promise<EventRow[]> {
  const rows = await tx.query<EventRow>(
    'select id, action, from_status, to_status, version, verify_round, actor, note, detail, at from fp_verify_task_event where task_id = $1 order by id',
    [taskId],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function duplicateTasks(tx: Queryable, t: Pick<TaskRow, 'id' | 'mother_id_bi' | 'birth_date' | 'child_name'>): Promise<string[]> {
  const rows = await tx.query<{ certificate_no: string }>('select certificate_no from fp_task_duplicates($1, $2, $3, $4)', [
    t.id,
    t.mother_id_bi,
    t.birth_date,
    t.child_name,
  ]);
  return rows.map((r) => r.certificate_no);
}

export async function married(tx: Queryable, a: number, b: number): Promise<boolean> {
  const r = await one<{ m: boolean }>(tx, sql`select fp_married(${a}, ${b}) as m`);
  return r.m;
}

/** The street (9-digit region) and its district, and the community health service centre of the street (master data). */
export async function streetOf(
  tx: Queryable,
  code: string,
): Promise<{ streetCode: string; districtCode: string; institutionId: number | null; name: string } | null> {
  const r = await getRegion({ tx }, code);
  if (r?.level !== 'street' || !r.districtCode) return null;
  return { streetCode: r.code, districtCode: r.districtCode, institutionId: await findChcForStreet({ tx }, r.code), name: r.name };
}

// ---- batches -----------------------------------------------------------------------------------

export async function startBatch(tx: Queryable, sourceDate: string, requestedBy: string): Promise<number> {
  const r = await one<{ id: number }>(tx, sql`insert into fp_mch_batch (source_date, requested_by) values (${sourceDate}, ${requestedBy}) returning id`);
  return Number(r.id);
}

export async function finishBatch(
  tx: Queryable,
  id: number,
  c: {
    status: 'done' | 'failed';
    fetched: number;
    created: number;
    updated: number;
    unchanged: number;
    rejected: number;
    deaths?: number;
    deathsRecorded?: number;
    error?: string | null;
  },
): Promise<void> {
  await tx.query(
    'update fp_mch_batch set status = $2, fetched = $3, created = $4, updated = $5, unchanged = $6, rejected = $7, error = $8, deaths = $9, deaths_recorded = $10, finished_at = now() where id = $1',
    [id, c.status, c.fetched, c.created, c.updated, c.unchanged, c.rejected, c.error ?? null, c.deaths ?? 0, c.deathsRecorded ?? 0],
  );
}

export async function insertRejected(
  tx: Queryable,
  batchId: number,
  rowNo: number,
  raw: Record<string, unknown>,
  reasons: unknown,
  scope: { districtCode: string | null; streetCode: string | null },
): Promise<void> {
  await tx.query('insert into fp_mch_rejected (batch_id, row_no, raw, reasons, district_code, street_code) values ($1, $2, $3::jsonb, $4::jsonb, $5, $6)', [
    batchId,
    rowNo,
    JSON.stringify(raw),
    JSON.stringify(reasons),
    scope.districtCode,
    scope.streetCode,
  ]);
}
