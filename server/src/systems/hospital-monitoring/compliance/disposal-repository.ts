import { one, type Sql, sql, where } from '../../../platform/db/index.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import type { DisposalAction, DisposalStatus } from './disposal-state.ts';

// The disposal orders' SQL (处置单). Row-level security limits every statement to the caller's scope.

export interface DisposalRow {
  id: number;
  institutionId: number;
  institution: string | null;
  districtCode: string;
  title: string;
  dueOn: string;
  status: DisposalStatus;
  overdue: boolean;
  findingCount: number;
  createdBy: string;
  createdAt: Date;
  dispatchedBy: string | null;
  dispatchedAt: Date | null;
  explanation: string | null;
  attachments: { name: string; url?: string }[];
  explainedBy: string | null;
  explainedAt: Date | null;
  evaluation: string | null;
  evaluationResult: string | null;
  evaluatedBy: string | null;
  evaluatedAt: Date | null;
  closeNote: string | null;
  closedBy: string | null;
  closedAt: Date | null;
}

const COLUMNS = `o.id::int as id, o.institution_id::int as "institutionId", i.name as institution, o.district_code as "districtCode", o.title,
  to_char(o.due_on, 'YYYY-MM-DD') as "dueOn", o.status, (o.status <> 'closed' and o.due_on < current_date) as overdue,
  (select count(*)::int from cm_disposal_finding df where df.disposal_id = o.id) as "findingCount",
  o.created_by as "createdBy", o.created_at as "createdAt", o.dispatched_by as "dispatchedBy", o.dispatched_at as "dispatchedAt",
  o.explanation, o.attachments, o.explained_by as "explainedBy", o.explained_at as "explainedAt", o.evaluation,
  o.evaluation_result as "evaluationResult", o.evaluated_by as "evaluatedBy", o.evaluated_at as "evaluatedAt",
  o.close_note as "closeNote", o.closed_by as "closedBy", o.closed_at as "closedAt"`;
const FROM = 'from cm_disposal o left join institution i on i.id = o.institution_id';

/** The findings as the caller sees them (missing ids are out of scope or do not exist). */
export async function findingsForOrder(tx: Queryable, ids: number[]) {
  return tx.query<{ id: number; institution_id: number; district_code: string; open_in: number | null }>(
    `select f.id::int as id, f.institution_id::int as institution_id, f.district_code,
            (select df.disposal_id::int from cm_disposal_finding df where df.finding_id = f.id and df.open limit 1) as open_in
       from cm_finding f where f.id = any($1::int8[]) order by f.id`,
    [ids],
  );
}

export async function insertDisposal(
  tx: Queryable,
  d: { institutionId: number; districtCode: string; title: string; dueOn: string; createdBy: string; findingIds: number[] },
): Promise<number> {
  const row = await one<{ id: number }>(
    tx,
    sql`insert into cm_disposal (institution_id, district_code, title, due_on, created_by)
        values (${d.institutionId}, ${d.districtCode}, ${d.title}, ${d.dueOn}::date, ${d.createdBy}) returning id::int as id`,
  );
  await tx.query(`insert into cm_disposal_finding (disposal_id, finding_id, institution_id, district_code) select $1, f, $2, $3 from unnest($4::int8[]) f`, [
    row.id,
    d.institutionId,
    d.districtCode,
    d.findingIds,
  ]);
  return row.id;
}

export async function findDisposal(tx: Queryable, id: number, forUpdate = false): Promise<DisposalRow | null> {
  if (forUpdate) await tx.query('select id from cm_disposal where id = $1 for update', [id]);
  const [row] = await tx.query<DisposalRow>(`select ${COLUMNS} ${FROM} where o.id = $1`, [id]);
  return row ?? null;
}

/** Sets the new state and the columns of the step (fixed text per action; values are parameters). */
export async function applyStep(
  tx: Queryable,
  id: number,
  action: DisposalAction,
  to: DisposalStatus,
  actor: string,
  v: { explanation?: string; attachments?: unknown; evaluation?: string; result?: string; note?: string | null },
): Promise<void> {
  const SET: Record<DisposalAction, () => Sql> = {
    dispatch: () => sql`dispatched_by = ${actor}, dispatched_at = now()`,
    explain: () =>
      sql`explained_by = ${actor}, explained_at = now(), explanation = ${v.explanation}, attachments = ${JSON.stringify(v.attachments ?? [])}::jsonb`,
    evaluate: () => sql`evaluated_by = ${actor}, evaluated_at = now(), evaluation = ${v.evaluation}, evaluation_result = ${v.result}`,
    close: () => sql`closed_by = ${actor}, closed_at = now(), close_note = ${v.note ?? null}`,
  };
  await tx.query(sql`update cm_disposal set status = ${to}, updated_at = now(), ${SET[action]()} where id = ${id}`);
  if (action === 'close') await tx.query('update cm_disposal_finding set open = false where disposal_id = $1', [id]);
}

export async function insertEvent(
  tx: Queryable,
  e: {
    disposalId: number;
    institutionId: number;
    districtCode: string;
    action: string;
    from: string | null;
    to: string;
    actor: string;
    actorName: string;
    actorRole: string;
    note: string | null;
  },
): Promise<void> {
  await tx.query(
    `insert into cm_disposal_event (disposal_id, institution_id, district_code, action, from_status, to_status, actor, actor_name, actor_role, note)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [e.disposalId, e.institutionId, e.districtCode, e.action, e.from, e.to, e.actor, e.actorName, e.actorRole, e.note],
  );
}

export async function listEvents(tx: Queryable, id: number) {
  return tx.query<Record<string, unknown>>(
    `select id::int as id, action, from_status as "from", to_status as "to", actor, actor_name as "actorName", actor_role as "actorRole", note, at
       from cm_disposal_event where disposal_id = $1 order by id`,
    [id],
  );
}

export async function orderFindings(tx: Queryable, id: number) {
  return tx.query<Record<string, unknown>>(
    `select f.id::int as id, f.category, c.title as "ruleTitle", f.patient_mask as patient, f.items, f.amount, to_char(f.found_on, 'YYYY-MM-DD') as "foundOn"
       from cm_disposal_finding df join cm_finding f on f.id = df.finding_id join cm_rule c on c.id = f.rule_id
      where df.disposal_id = $1 order by f.found_on desc, f.id`,
    [id],
  );
}

export interface DisposalFilter {
  institutionId?: number;
  districtCode?: string;
  status?: DisposalStatus;
  overdue?: boolean;
}

function disposalWhere(f: DisposalFilter, withStatus: boolean): Sql {
  return where([
    f.institutionId !== undefined && sql`o.institution_id = ${f.institutionId}`,
    f.districtCode !== undefined && sql`o.district_code = ${f.districtCode}`,
    withStatus && f.status !== undefined && sql`o.status = ${f.status}`,
    withStatus && f.overdue !== undefined && sql`(o.status <> 'closed' and o.due_on < current_date) = ${f.overdue}`,
  ]);
}

export async function listDisposals(tx: Queryable, f: DisposalFilter, page: { limit: number; offset: number }) {
  const w = disposalWhere(f, true);
  const { n } = await one<{ n: number }>(tx, sql`select count(*)::int as n from cm_disposal o ${w}`);
  const rows = await tx.query<DisposalRow>(sql`select ${sql.raw(COLUMNS)} ${sql.raw(FROM)} ${w} order by o.id desc limit ${page.limit} offset ${page.offset}`);
  return { rows, total: n };
}

/** Orders and overdue orders per state. */
export async function boardCounts(tx: Queryable, f: DisposalFilter) {
  const w = disposalWhere(f, false);
  return tx.query<{ status: DisposalStatus; n: number; overdue: number }>(
    sql`select o.status, count(*)::int as n, count(*) filter (where o.status <> 'closed' and o.due_on < current_date)::int as overdue
       from cm_disposal o ${w} group by o.status`,
  );
}

export async function today(tx: Queryable): Promise<string> {
  const r = await one<{ d: string }>(tx, sql`select to_char(current_date, 'YYYY-MM-DD') as d`);
  return r.d;
}
