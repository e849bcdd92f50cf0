import { and, one, type Sql, sql, where } from '../../../platform/db/index.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import type { StoredContact } from './contacts.ts';
import type { Colour, Policy } from './rules.ts';
import { colourBounds, DEFAULT_POLICY } from './rules.ts';
import { type TagDrive, tagFilter } from '../key-populations/service.ts';

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
  /** Masked (migration 015); rows not yet sealed may still hold `phone` in clear. */
  emergency_contacts: StoredContact[];
  emergency_contacts_enc: string | null;
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
  kind: 'sign' | 'change_doctor' | 'transfer_in_community' | 'change_hospitals' | 'renew' | 'terminate' | 'transfer';
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
  return policyOf(await tx.query<{ key: string; value: number }>('select key, value from fd_setting'));
}

/**
 * The policy and the header counts' generation (migration 013: what counts over a district, none = the whole
 * city, depend on) in one round trip: the list reads both per page.
 */
export async function loadPolicyAndGeneration(tx: Queryable, district: string | undefined): Promise<{ policy: Policy; generation: string }> {
  const rows = await tx.query<{ key: string | null; value: number | null; g: string | number }>(
    'select s.key, s.value, g.g from (select fd_count_generation_of($1::text) as g) g left join fd_setting s on true',
    [district ?? null],
  );
  // A left join on true: at least one row, whatever fd_setting holds.
  return { policy: policyOf(rows.filter((r) => r.key !== null) as { key: string; value: number }[]), generation: String(rows[0]!.g) };
}

function policyOf(rows: { key: string; value: number }[]): Policy {
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
  // Column names pass COLUMN (identifiers only); the values are parameters.
  return one<ContractRow>(
    tx,
    sql`insert into fd_contract (${sql.raw(entries.map(([k]) => k).join(', '))}) values (${sql.join(entries.map(([k, v]) => sql`${val(k, v)}`))}) returning *`,
  );
}

/** Bumps the version; null when the row is outside the caller's scope. */
export async function updateContract(tx: Queryable, id: number, cols: ContractColumns): Promise<ContractRow | null> {
  const sets = Object.entries(cols)
    .filter(([k, v]) => v !== undefined && COLUMN.test(k))
    .map(([k, v]) => sql`${sql.raw(k)} = ${val(k, v)}`);
  const [r] = await tx.query<ContractRow>(
    sql`update fd_contract set ${sql.join([...sets, sql`version = version + 1`, sql`updated_at = now()`])} where id = ${id} returning *`,
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
  e: Pick<EventRow, 'kind' | 'initiator'> &
    Partial<Pick<EventRow, 'reason' | 'channel' | 'tags' | 'before' | 'after' | 'detail' | 'operator_id' | 'operator_name'>> & { on_date: string },
): Promise<EventRow> {
  return one<EventRow>(
    tx,
    sql`insert into fd_contract_event (contract_id, person_id, kind, initiator, reason, channel, tags, before, after, detail, on_date, operator_id, operator_name,
       district_code, street_code, institution_id, team_id, doctor_id)
     values (${c.id}, ${c.person_id}, ${e.kind}, ${e.initiator}, ${e.reason ?? null}, ${e.channel ?? null}, ${e.tags ?? []}, ${val('before', e.before ?? null)}, ${val('after', e.after ?? null)},
       ${val('detail', e.detail ?? null)}, ${e.on_date}, ${e.operator_id ?? null}, ${e.operator_name ?? null}, ${c.district_code}, ${c.street_code}, ${c.institution_id}, ${c.team_id}, ${c.doctor_id}) returning *`,
  );
}

export function eventsOfContract(tx: Queryable, contractId: number): Promise<EventRow[]> {
  return tx.query<EventRow>('select * from fd_contract_event where contract_id = $1 order by at, id', [contractId]);
}

/** Visits at a community health service centre in [from, to], whatever the caller's scope (a count only). */
export async function visitCount(tx: Queryable, personId: number, institutionId: number, from: string, to: string): Promise<number> {
  const r = await one<{ n: number }>(tx, sql`select fd_visit_count(${personId}, ${institutionId}, ${from}, ${to}) as n`);
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
  /** A key-population tag (key-populations module). */
  tag?: string;
  limit: number;
  offset: number;
}

function whereOf(f: Omit<ListFilter, 'limit' | 'offset' | 'colour'>, drive: TagDrive = 'tags'): Sql[] {
  return [
    sql`status = ${f.status}`,
    f.district !== undefined && sql`district_code = ${f.district}`,
    f.institutionId !== undefined && sql`institution_id = ${f.institutionId}`,
    f.teamId !== undefined && sql`team_id = ${f.teamId}`,
    f.doctorId !== undefined && sql`doctor_id = ${f.doctorId}`,
    f.personId !== undefined && sql`person_id = ${f.personId}`,
    f.tag !== undefined && tagFilter('fd_contract.person_id', 'fd_contract.district_code', f.tag, drive),
  ].filter((c): c is Sql => c !== false);
}

export interface HeaderCounts {
  green: number;
  yellow: number;
  red: number;
  total: number;
}

/**
 * Active contracts by colour (and all contracts of the status) under a filter — the list's header statistics.
 * `wholeDistricts`: the caller sees whole districts (city or district scope), so an active-contract count by
 * tag over districts is read from the tag counts the triggers keep (key-populations migration 004) instead of
 * counting contracts; under row-level security the caller reads only its own districts' counts either way.
 */
export async function countContracts(
  tx: Queryable,
  f: Omit<ListFilter, 'limit' | 'offset' | 'colour'>,
  today: string,
  p: Policy,
  wholeDistricts = false,
): Promise<HeaderCounts> {
  const b = colourBounds(today, p);
  if (
    wholeDistricts &&
    f.tag !== undefined &&
    f.status === 'active' &&
    f.institutionId === undefined &&
    f.teamId === undefined &&
    f.doctorId === undefined &&
    f.personId === undefined
  ) {
    return one<HeaderCounts>(
      tx,
      sql`select coalesce(sum(n) filter (where cycle_end > ${b.greenAfter}::date), 0)::int as green,
              coalesce(sum(n) filter (where cycle_end between ${b.redBefore}::date and ${b.greenAfter}::date), 0)::int as yellow,
              coalesce(sum(n) filter (where cycle_end < ${b.redBefore}::date), 0)::int as red,
              coalesce(sum(n), 0)::int as total
         from kp_contract_tag_count_v ${where([sql`tag = ${f.tag}`, f.district !== undefined && sql`district_code = ${f.district}`])}`,
    );
  }
  return one<HeaderCounts>(
    tx,
    sql`select count(*) filter (where cycle_end > ${b.greenAfter}::date)::int as green,
            count(*) filter (where cycle_end between ${b.redBefore}::date and ${b.greenAfter}::date)::int as yellow,
            count(*) filter (where cycle_end < ${b.redBefore}::date)::int as red,
            count(*)::int as total
       from fd_contract where ${and(whereOf(f))}`,
  );
}

/**
 * Page in the contracts' own order when the tag is common: with at least 25 tagged contracts per row up to
 * the page's end, that row comes within the first 25th of the contracts read in order. Otherwise start from
 * the tagged residents (few) and sort them.
 */
export function tagDrive(tagged: number, upTo: number): TagDrive {
  return tagged >= 25 * upTo ? 'rows' : 'tags';
}

/**
 * One page of contracts (by cycle end, soonest first) and the header counts by colour of the same filter;
 * `counted` may answer the counts from a cache (header-counts.ts).
 */
export async function listContracts(
  tx: Queryable,
  f: ListFilter,
  today: string,
  p: Policy,
  counted: (compute: () => Promise<HeaderCounts>) => Promise<HeaderCounts> = (compute) => compute(),
  wholeDistricts = false,
): Promise<{ rows: ContractRow[]; total: number; counts: Record<Colour, number> }> {
  const b = colourBounds(today, p);
  const c = await counted(() => countContracts(tx, f, today, p, wholeDistricts));
  const pageWhere = whereOf(f, f.tag !== undefined ? tagDrive(f.colour && f.status === 'active' ? c[f.colour] : c.total, f.offset + f.limit) : 'tags');
  const counts = { green: c.green, yellow: c.yellow, red: c.red };
  let total = c.total;
  if (f.colour && f.status === 'active') {
    if (f.colour === 'green') pageWhere.push(sql`cycle_end > ${b.greenAfter}::date`);
    if (f.colour === 'yellow') pageWhere.push(sql`cycle_end between ${b.redBefore}::date and ${b.greenAfter}::date`);
    if (f.colour === 'red') pageWhere.push(sql`cycle_end < ${b.redBefore}::date`);
    total = counts[f.colour];
  }
  if (total === 0) return { rows: [], total, counts };
  const rows = await tx.query<ContractRow>(sql`select * from fd_contract where ${and(pageWhere)} order by cycle_end, id limit ${f.limit} offset ${f.offset}`);
  return { rows, total, counts };
}

// ———————————————————————————————————————— 转签 requests ————————————————————————————————————————

export interface TransferRequestRow {
  id: number;
  from_institution_id: number;
  from_team_id: number | null;
  from_doctor_id: number;
  to_institution_id: number;
  to_team_id: number;
  to_doctor_id: number;
  district_code: string;
  reason_kind: 'retire' | 'post_change' | 'leave' | 'other';
  reason: string;
  contract_ids: number[];
  residents: { contractId: number; personName: string | null; idNumberMasked: string | null }[];
  status: 'pending' | 'accepted' | 'rejected';
  decision_reason: string | null;
  moved_ids: number[];
  skipped_ids: number[];
  requested_by: number | null;
  requested_by_name: string | null;
  requested_at: Date | string;
  decided_by: number | null;
  decided_by_name: string | null;
  decided_at: Date | string | null;
}

const num = (v: unknown) => Number(v);
function transferOf(r: TransferRequestRow): TransferRequestRow {
  // bigint[] may come back as strings.
  const residents = typeof r.residents === 'string' ? JSON.parse(r.residents) : r.residents;
  return { ...r, residents, contract_ids: r.contract_ids.map(num), moved_ids: r.moved_ids.map(num), skipped_ids: r.skipped_ids.map(num) };
}

export async function insertTransferRequest(
  tx: Queryable,
  r: Omit<
    TransferRequestRow,
    'id' | 'status' | 'decision_reason' | 'moved_ids' | 'skipped_ids' | 'requested_at' | 'decided_by' | 'decided_by_name' | 'decided_at'
  >,
): Promise<TransferRequestRow> {
  const row = await one<TransferRequestRow>(
    tx,
    sql`insert into fd_transfer_request (from_institution_id, from_team_id, from_doctor_id, to_institution_id, to_team_id, to_doctor_id, district_code, reason_kind, reason,
       contract_ids, residents, requested_by, requested_by_name)
     values (${r.from_institution_id}, ${r.from_team_id}, ${r.from_doctor_id}, ${r.to_institution_id}, ${r.to_team_id}, ${r.to_doctor_id}, ${r.district_code}, ${r.reason_kind}, ${r.reason},
       ${r.contract_ids}, ${JSON.stringify(r.residents)}, ${r.requested_by}, ${r.requested_by_name}) returning *`,
  );
  return transferOf(row);
}

export async function transferRequestById(tx: Queryable, id: number, forUpdate = false): Promise<TransferRequestRow | null> {
  const [r] = await tx.query<TransferRequestRow>(`select * from fd_transfer_request where id = $1${forUpdate ? ' for update' : ''}`, [id]);
  return r ? transferOf(r) : null;
}

/** Contracts among `ids` already in a pending request. */
export async function pendingTransferOf(tx: Queryable, ids: readonly number[]): Promise<number[]> {
  const rows = await tx.query<{ id: string | number }>(
    `select distinct unnest(contract_ids) as id from fd_transfer_request where status = 'pending' and contract_ids && $1::bigint[]`,
    [ids],
  );
  const set = new Set(ids);
  return rows.map((r) => Number(r.id)).filter((id) => set.has(id));
}

export async function decideTransferRequest(
  tx: Queryable,
  id: number,
  d: {
    status: 'accepted' | 'rejected';
    decision_reason: string | null;
    moved_ids: number[];
    skipped_ids: number[];
    decided_by: number | null;
    decided_by_name: string;
  },
): Promise<TransferRequestRow> {
  // The caller holds the request locked and pending (transferRequestById(…, true)).
  const r = await one<TransferRequestRow>(
    tx,
    sql`update fd_transfer_request set status = ${d.status}, decision_reason = ${d.decision_reason}, moved_ids = ${d.moved_ids}, skipped_ids = ${d.skipped_ids},
          decided_by = ${d.decided_by}, decided_by_name = ${d.decided_by_name}, decided_at = now()
      where id = ${id} and status = 'pending' returning *`,
  );
  return transferOf(r);
}

export interface TransferFilter {
  doctorId?: number;
  direction?: 'in' | 'out';
  status?: 'pending' | 'accepted' | 'rejected';
  limit: number;
  offset: number;
}

/** Requests the caller sees (row-level security: either side), newest first. */
export async function listTransferRequests(tx: Queryable, f: TransferFilter): Promise<{ rows: TransferRequestRow[]; total: number }> {
  const doctor =
    f.doctorId === undefined
      ? null
      : f.direction === 'in'
        ? sql`to_doctor_id = ${f.doctorId}`
        : f.direction === 'out'
          ? sql`from_doctor_id = ${f.doctorId}`
          : sql`(to_doctor_id = ${f.doctorId} or from_doctor_id = ${f.doctorId})`;
  const w = where([f.status && sql`status = ${f.status}`, doctor]);
  const c = await one<{ n: number }>(tx, sql`select count(*)::int as n from fd_transfer_request ${w}`);
  const rows = await tx.query<TransferRequestRow>(sql`select * from fd_transfer_request ${w} order by id desc limit ${f.limit} offset ${f.offset}`);
  return { rows: rows.map(transferOf), total: c.n };
}

// ———————————————————————————————————————— 死亡核实 ————————————————————————————————————————

export interface DeathCheckRow {
  id: number;
  contract_id: number;
  person_id: number;
  death_date: string;
  source: 'report_card' | 'resident_index';
  report_no: string | null;
  cause: string | null;
  status: 'pending' | 'confirmed' | 'not_same_person';
  note: string | null;
  reported_by: number | null;
  reported_by_name: string | null;
  reported_at: Date | string;
  decided_by: number | null;
  decided_by_name: string | null;
  decided_at: Date | string | null;
  district_code: string;
  street_code: string | null;
  institution_id: number;
  team_id: number | null;
  doctor_id: number;
}

/** A verification task for the contract's doctor (scope columns copied from the contract). */
export async function insertDeathCheck(
  tx: Queryable,
  c: ContractRow,
  d: Pick<DeathCheckRow, 'death_date' | 'source' | 'report_no' | 'cause' | 'reported_by' | 'reported_by_name'>,
): Promise<DeathCheckRow> {
  return one<DeathCheckRow>(
    tx,
    sql`insert into fd_death_check (contract_id, person_id, death_date, source, report_no, cause, reported_by, reported_by_name, district_code, street_code, institution_id, team_id, doctor_id)
     values (${c.id}, ${c.person_id}, ${d.death_date}, ${d.source}, ${d.report_no}, ${d.cause}, ${d.reported_by}, ${d.reported_by_name}, ${c.district_code}, ${c.street_code}, ${c.institution_id}, ${c.team_id}, ${c.doctor_id}) returning *`,
  );
}

export async function pendingDeathCheckOf(tx: Queryable, contractId: number): Promise<DeathCheckRow | null> {
  const [r] = await tx.query<DeathCheckRow>(`select * from fd_death_check where contract_id = $1 and status = 'pending'`, [contractId]);
  return r ?? null;
}

export async function deathCheckById(tx: Queryable, id: number, forUpdate = false): Promise<DeathCheckRow | null> {
  const [r] = await tx.query<DeathCheckRow>(`select * from fd_death_check where id = $1${forUpdate ? ' for update' : ''}`, [id]);
  return r ?? null;
}

export async function decideDeathCheck(
  tx: Queryable,
  id: number,
  d: { status: 'confirmed' | 'not_same_person'; note: string | null; decided_by: number | null; decided_by_name: string },
): Promise<DeathCheckRow> {
  // The caller holds the check locked and pending (deathCheckById(…, true)).
  return one<DeathCheckRow>(
    tx,
    sql`update fd_death_check set status = ${d.status}, note = ${d.note}, decided_by = ${d.decided_by}, decided_by_name = ${d.decided_by_name}, decided_at = now()
         where id = ${id} and status = 'pending' returning *`,
  );
}

export async function listDeathChecks(
  tx: Queryable,
  f: { status?: DeathCheckRow['status']; doctorId?: number; limit: number; offset: number },
): Promise<{ rows: DeathCheckRow[]; total: number }> {
  const w = where([f.status && sql`status = ${f.status}`, f.doctorId !== undefined && sql`doctor_id = ${f.doctorId}`]);
  const c = await one<{ n: number }>(tx, sql`select count(*)::int as n from fd_death_check ${w}`);
  const rows = await tx.query<DeathCheckRow>(sql`select * from fd_death_check ${w} order by id desc limit ${f.limit} offset ${f.offset}`);
  return { rows, total: c.n };
}

/** Active contracts without an open or confirmed death check, after `afterId` (the death scan pages through them). */
export function activeContractsWithoutDeathCheck(tx: Queryable, afterId: number, limit: number): Promise<ContractRow[]> {
  return tx.query<ContractRow>(
    `select c.* from fd_contract c
      where c.status = 'active' and c.id > $1
        and not exists (select 1 from fd_death_check d where d.contract_id = c.id and d.status in ('pending', 'confirmed'))
      order by c.id limit $2`,
    [afterId, limit],
  );
}

// ———————————————————————————————————————— 异常签约 ————————————————————————————————————————

export async function abnormalThreshold(tx: Queryable): Promise<number> {
  const [r] = await tx.query<{ value: number }>(`select value from fd_setting where key = 'abnormal_sign_threshold'`);
  return r?.value ?? 10;
}

/** Residents (one per ID number) with more than `threshold` contracts, most first. */
export async function abnormalSignings(
  tx: Queryable,
  threshold: number,
  district: string | undefined,
  limit: number,
  offset: number,
): Promise<{ rows: { person_id: number; n: number; first_signed: string; last_signed: string }[]; total: number }> {
  const base = sql`select person_id, count(*)::int as n, min(signed_on)::text as first_signed, max(signed_on)::text as last_signed
                  from fd_contract ${where([district !== undefined && sql`district_code = ${district}`])} group by person_id having count(*) > ${threshold}`;
  const c = await one<{ n: number }>(tx, sql`select count(*)::int as n from (${base}) x`);
  const rows = await tx.query<{ person_id: number; n: number; first_signed: string; last_signed: string }>(
    sql`${base} order by n desc, person_id limit ${limit} offset ${offset}`,
  );
  return { rows, total: c.n };
}
