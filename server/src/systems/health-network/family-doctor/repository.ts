import type { Queryable } from '../../../platform/db/types.ts';
import type { Colour, Policy } from './rules.ts';
import { colourBounds, DEFAULT_POLICY } from './rules.ts';

/** The family-doctor module's SQL. Every statement runs under the caller's row-level security. */

export interface ContractRow {
  id: number;
  person_id: number;
  institution_id: number;
  doctor_id: number;
  team_id: number | null;
  district_hospital_id: number | null;
  city_hospital_id: number | null;
  district_code: string;
  street_code: string | null;
  signed_on: string;
  cycle_start: string;
  cycle_end: string;
  cycle_years: number;
  doctor_since: string;
  doctor_changes: string[];
  hospital_changes: string[];
  channel: 'online' | 'offline';
  status: 'active' | 'terminated';
  terminated_on: string | null;
  termination_initiator: 'resident' | 'doctor' | 'system' | null;
  termination_reason: string | null;
  tags: string[];
  previous_id: number | null;
  emergency_contacts: { name: string; phone: string; relation: string }[];
  health_assessment_url: string | null;
  physical_exam_url: string | null;
  operator_id: number | null;
  operator_name: string | null;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

export type ContractColumns = Partial<Omit<ContractRow, 'id' | 'version' | 'created_at' | 'updated_at'>>;

export interface EventRow {
  id: number;
  contract_id: number;
  person_id: number;
  kind: 'sign' | 'change_doctor' | 'transfer_in_community' | 'change_hospitals' | 'renew' | 'terminate';
  initiator: 'resident' | 'doctor' | 'system';
  reason: string | null;
  channel: 'online' | 'offline' | null;
  tags: string[];
  before: unknown;
  after: unknown;
  detail: unknown;
  on_date: string;
  operator_id: number | null;
  operator_name: string | null;
  at: Date | string;
}

const COLUMN = /^[a-z_]+$/;
const JSON_COLUMNS = new Set(['emergency_contacts', 'before', 'after', 'detail']);
const val = (k: string, v: unknown) => (JSON_COLUMNS.has(k) && v !== null ? JSON.stringify(v) : v);

export async function loadPolicy(tx: Queryable): Promise<Policy> {
  const rows = await tx.query<{ key: string; value: number }>('select key, value from fd_setting');
  const m = new Map(rows.map((r) => [r.key, r.value]));
  const get = (k: string, d: number) => m.get(k) ?? d;
  return {
    yellowBeforeDays: get('yellow_before_days', DEFAULT_POLICY.yellowBeforeDays),
    yellowAfterDays: get('yellow_after_days', DEFAULT_POLICY.yellowAfterDays),
    changeYearDays: get('change_year_days', DEFAULT_POLICY.changeYearDays),
    maxDoctorChanges: get('max_doctor_changes', DEFAULT_POLICY.maxDoctorChanges),
    maxHospitalChanges: get('max_hospital_changes', DEFAULT_POLICY.maxHospitalChanges),
  };
}

export async function insertContract(tx: Queryable, cols: ContractColumns): Promise<ContractRow> {
  const entries = Object.entries(cols).filter(([k, v]) => v !== undefined && COLUMN.test(k));
  const [r] = await tx.query<ContractRow>(
    `insert into fd_contract (${entries.map(([k]) => k).join(', ')}) values (${entries.map((_, i) => `$${i + 1}`).join(', ')}) returning *`,
    entries.map(([k, v]) => val(k, v)),
  );
  return r;
}

/** Bumps the version; null when the row is outside the caller's scope. */
export async function updateContract(tx: Queryable, id: number, cols: ContractColumns): Promise<ContractRow | null> {
  const params: unknown[] = [id];
  const sets: string[] = [];
  for (const [k, v] of Object.entries(cols)) {
    if (v === undefined || !COLUMN.test(k)) continue;
    params.push(val(k, v));
    sets.push(`${k} = $${params.length}`);
  }
  const [r] = await tx.query<ContractRow>(
    `update fd_contract set ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} where id = $1 returning *`,
    params,
  );
  return r ?? null;
}

export async function contractById(tx: Queryable, id: number, forUpdate = false): Promise<ContractRow | null> {
  const [r] = await tx.query<ContractRow>(`select * from fd_contract where id = $1${forUpdate ? ' for update' : ''}`, [id]);
  return r ?? null;
}

export async function activeContractOfPerson(tx: Queryable, personId: number, forUpdate = false): Promise<ContractRow | null> {
  const [r] = await tx.query<ContractRow>(`select * from fd_contract where person_id = $1 and status = 'active'${forUpdate ? ' for update' : ''}`, [personId]);
  return r ?? null;
}

export async function insertEvent(
  tx: Queryable,
  c: ContractRow,
  e: Pick<EventRow, 'kind' | 'initiator'> & Partial<Pick<EventRow, 'reason' | 'channel' | 'tags' | 'before' | 'after' | 'detail' | 'operator_id' | 'operator_name'>> & { on_date: string },
): Promise<EventRow> {
  const [r] = await tx.query<EventRow>(
    `insert into fd_contract_event (contract_id, person_id, kind, initiator, reason, channel, tags, before, after, detail, on_date, operator_id, operator_name,
       district_code, street_code, institution_id, team_id, doctor_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) returning *`,
    [
      c.id, c.person_id, e.kind, e.initiator, e.reason ?? null, e.channel ?? null, e.tags ?? [], val('before', e.before ?? null), val('after', e.after ?? null),
      val('detail', e.detail ?? null), e.on_date, e.operator_id ?? null, e.operator_name ?? null, c.district_code, c.street_code, c.institution_id, c.team_id, c.doctor_id,
    ],
  );
  return r;
}

export function eventsOfContract(tx: Queryable, contractId: number): Promise<EventRow[]> {
  return tx.query<EventRow>('select * from fd_contract_event where contract_id = $1 order by at, id', [contractId]);
}

/** Visits at a community health service centre in [from, to], whatever the caller's scope (a count only). */
export async function visitCount(tx: Queryable, personId: number, institutionId: number, from: string, to: string): Promise<number> {
  const [r] = await tx.query<{ n: number }>('select fd_visit_count($1, $2, $3, $4) as n', [personId, institutionId, from, to]);
  return r.n;
}

export interface ListFilter {
  colour?: Colour;
  status: 'active' | 'terminated';
  district?: string;
  institutionId?: number;
  teamId?: number;
  doctorId?: number;
  personId?: number;
  limit: number;
  offset: number;
}

function whereOf(f: Omit<ListFilter, 'limit' | 'offset' | 'colour'>): { where: string[]; params: unknown[] } {
  const where: string[] = ['status = $1'];
  const params: unknown[] = [f.status];
  const add = (sql: string, v: unknown) => {
    if (v === undefined) return;
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  add('district_code = ?', f.district);
  add('institution_id = ?', f.institutionId);
  add('team_id = ?', f.teamId);
  add('doctor_id = ?', f.doctorId);
  add('person_id = ?', f.personId);
  return { where, params };
}

/** One page of contracts (by cycle end, soonest first) and the header counts by colour of the same filter. */
export async function listContracts(tx: Queryable, f: ListFilter, today: string, p: Policy): Promise<{ rows: ContractRow[]; total: number; counts: Record<Colour, number> }> {
  const { where, params } = whereOf(f);
  const b = colourBounds(today, p);
  const n = params.length;
  const [c] = await tx.query<{ green: number; yellow: number; red: number; total: number }>(
    `select count(*) filter (where cycle_end > $${n + 1}::date)::int as green,
            count(*) filter (where cycle_end between $${n + 2}::date and $${n + 1}::date)::int as yellow,
            count(*) filter (where cycle_end < $${n + 2}::date)::int as red,
            count(*)::int as total
       from fd_contract where ${where.join(' and ')}`,
    [...params, b.greenAfter, b.redBefore],
  );
  const counts = { green: c.green, yellow: c.yellow, red: c.red };
  const pageWhere = [...where];
  const pageParams = [...params];
  let total = c.total;
  if (f.colour && f.status === 'active') {
    const arg = (v: string) => {
      pageParams.push(v);
      return `$${pageParams.length}::date`;
    };
    if (f.colour === 'green') pageWhere.push(`cycle_end > ${arg(b.greenAfter)}`);
    if (f.colour === 'yellow') pageWhere.push(`cycle_end between ${arg(b.redBefore)} and ${arg(b.greenAfter)}`);
    if (f.colour === 'red') pageWhere.push(`cycle_end < ${arg(b.redBefore)}`);
    total = counts[f.colour];
  }
  if (total === 0) return { rows: [], total, counts };
  pageParams.push(f.limit, f.offset);
  const rows = await tx.query<ContractRow>(
    `select * from fd_contract where ${pageWhere.join(' and ')} order by cycle_end, id limit $${pageParams.length - 1} offset $${pageParams.length}`,
    pageParams,
  );
  return { rows, total, counts };
}
