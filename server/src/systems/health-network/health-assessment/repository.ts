import { one, sql, where } from '../../../platform/db/index.ts';
import type { Queryable } from '../../../platform/db/types.ts';

/** The health-assessment module's SQL. Every statement runs under the caller's row-level security. */

export interface BatchRow {
  id: number;
  channel: 'ftp' | 'web';
  institution_id: number;
  account_id: number | null;
  uploaded_by: string;
  started_at: Date | string;
  files_total: number;
  files_archived: number;
  files_rejected: number;
  district_code: string;
  street_code: string | null;
  team_id: number | null;
  doctor_id: number | null;
}

export interface FileRow {
  id: number;
  batch_id: number;
  channel: 'ftp' | 'web';
  file_name: string;
  status: 'archived' | 'rejected';
  error: string | null;
  person_id: number | null;
  contract_id: number | null;
  report_type: 'HA' | 'PE' | null;
  report_date: string | null;
  age_at_report: number | null;
  signed_by: number | null;
  signed_at: Date | string | null;
  size_bytes: number;
  sm3: string;
  institution_id: number;
  district_code: string;
  street_code: string | null;
  team_id: number | null;
  doctor_id: number | null;
  uploaded_by: string;
  uploaded_at: Date | string;
}

export interface AccountRow {
  id: number;
  institution_id: number;
  username: string;
  password_hash: string;
  active: boolean;
  district_code: string;
  street_code: string | null;
  issued_by: string | null;
  issued_at: Date | string;
  last_login_at: Date | string | null;
}

const FILE_COLUMNS =
  'id, batch_id, channel, file_name, status, error, person_id, contract_id, report_type, report_date, age_at_report, signed_by, signed_at, size_bytes, sm3, institution_id, district_code, street_code, team_id, doctor_id, uploaded_by, uploaded_at';

export async function insertBatch(
  tx: Queryable,
  b: Omit<BatchRow, 'id' | 'started_at' | 'files_total' | 'files_archived' | 'files_rejected'>,
): Promise<BatchRow> {
  return one<BatchRow>(
    tx,
    sql`insert into ha_batch (channel, institution_id, account_id, uploaded_by, district_code, street_code, team_id, doctor_id)
     values (${b.channel}, ${b.institution_id}, ${b.account_id}, ${b.uploaded_by}, ${b.district_code}, ${b.street_code}, ${b.team_id}, ${b.doctor_id}) returning *`,
  );
}

export async function countFile(tx: Queryable, batchId: number, archived: boolean): Promise<void> {
  await tx.query(
    `update ha_batch set files_total = files_total + 1, files_archived = files_archived + $2::int, files_rejected = files_rejected + (1 - $2::int) where id = $1`,
    [batchId, archived ? 1 : 0],
  );
}

export type NewFile = Omit<FileRow, 'id' | 'uploaded_at'> & { content: Buffer | null };

export async function insertFile(tx: Queryable, f: NewFile): Promise<FileRow> {
  const cols = Object.keys(f) as (keyof NewFile)[];
  // The keys of NewFile are ha_file's columns (fixed by the type, not by input).
  return one<FileRow>(
    tx,
    sql`insert into ha_file (${sql.raw(cols.join(', '))}) values (${sql.join(cols.map((c) => sql`${f[c]}`))}) returning ${sql.raw(FILE_COLUMNS)}`,
  );
}

export async function archivedExists(tx: Queryable, personId: number, type: string, date: string): Promise<boolean> {
  const r = await one<{ n: number }>(
    tx,
    sql`select count(*)::int as n from ha_file where person_id = ${personId} and report_type = ${type} and report_date = ${date} and status = 'archived'`,
  );
  return r.n > 0;
}

export async function fileById(tx: Queryable, id: number): Promise<FileRow | null> {
  const [r] = await tx.query<FileRow>(`select ${FILE_COLUMNS} from ha_file where id = $1`, [id]);
  return r ?? null;
}

export async function fileContent(tx: Queryable, id: number): Promise<Buffer | null> {
  const [r] = await tx.query<{ content: Buffer | Uint8Array | null }>(`select content from ha_file where id = $1 and status = 'archived'`, [id]);
  return r?.content ? Buffer.from(r.content) : null;
}

export interface FileFilter {
  batchId?: number;
  status?: 'archived' | 'rejected';
  reportType?: 'HA' | 'PE';
  channel?: 'ftp' | 'web';
  personId?: number;
  limit: number;
  offset: number;
}

export async function listFiles(tx: Queryable, f: FileFilter): Promise<{ rows: FileRow[]; total: number }> {
  const w = where([
    f.batchId !== undefined && sql`batch_id = ${f.batchId}`,
    f.status && sql`status = ${f.status}`,
    f.reportType && sql`report_type = ${f.reportType}`,
    f.channel && sql`channel = ${f.channel}`,
    f.personId !== undefined && sql`person_id = ${f.personId}`,
  ]);
  const c = await one<{ n: number }>(tx, sql`select count(*)::int as n from ha_file ${w}`);
  const rows = await tx.query<FileRow>(sql`select ${sql.raw(FILE_COLUMNS)} from ha_file ${w} order by id desc limit ${f.limit} offset ${f.offset}`);
  return { rows, total: c.n };
}

export async function listBatches(tx: Queryable, f: { channel?: 'ftp' | 'web'; limit: number; offset: number }): Promise<{ rows: BatchRow[]; total: number }> {
  const w = where([f.channel && sql`channel = ${f.channel}`]);
  const c = await one<{ n: number }>(tx, sql`select count(*)::int as n from ha_batch ${w}`);
  const rows = await tx.query<BatchRow>(sql`select * from ha_batch ${w} order by id desc limit ${f.limit} offset ${f.offset}`);
  return { rows, total: c.n };
}

export interface StatRow {
  channel: 'ftp' | 'web';
  report_type: 'HA' | 'PE' | null;
  status: 'archived' | 'rejected';
  files: number;
  residents: number;
  elderly_files: number;
  elderly_residents: number;
}

/** Files by upload path × report type × result, and those of residents aged 65 or more, in a period. */
export function stats(tx: Queryable, from: string, to: string): Promise<StatRow[]> {
  return tx.query<StatRow>(
    `select channel, report_type, status, count(*)::int as files, count(distinct person_id)::int as residents,
            count(*) filter (where age_at_report >= 65)::int as elderly_files,
            count(distinct person_id) filter (where age_at_report >= 65)::int as elderly_residents
       from ha_file where uploaded_at >= $1::date and uploaded_at < ($2::date + 1)
      group by channel, report_type, status order by channel, report_type nulls last, status`,
    [from, to],
  );
}

export async function accountByInstitution(tx: Queryable, institutionId: number): Promise<AccountRow | null> {
  const [r] = await tx.query<AccountRow>('select * from ha_ftp_account where institution_id = $1', [institutionId]);
  return r ?? null;
}

export async function accountByUsername(tx: Queryable, username: string): Promise<AccountRow | null> {
  const [r] = await tx.query<AccountRow>('select * from ha_ftp_account where username = $1', [username]);
  return r ?? null;
}

export async function upsertAccount(
  tx: Queryable,
  a: { institution_id: number; username: string; password_hash: string; district_code: string; street_code: string | null; issued_by: string },
): Promise<AccountRow> {
  return one<AccountRow>(
    tx,
    sql`insert into ha_ftp_account (institution_id, username, password_hash, district_code, street_code, issued_by)
     values (${a.institution_id}, ${a.username}, ${a.password_hash}, ${a.district_code}, ${a.street_code}, ${a.issued_by})
     on conflict (institution_id) do update set password_hash = excluded.password_hash, active = true, issued_by = excluded.issued_by, issued_at = now()
     returning *`,
  );
}

export async function setAccountActive(tx: Queryable, id: number, active: boolean): Promise<AccountRow | null> {
  const [r] = await tx.query<AccountRow>('update ha_ftp_account set active = $2 where id = $1 returning *', [id, active]);
  return r ?? null;
}

export async function listAccounts(tx: Queryable): Promise<AccountRow[]> {
  return tx.query<AccountRow>('select * from ha_ftp_account order by district_code, institution_id');
}

export async function touchLogin(tx: Queryable, id: number): Promise<void> {
  await tx.query('update ha_ftp_account set last_login_at = now() where id = $1', [id]);
}

export async function latestReportId(tx: Queryable, personId: number, type: 'HA' | 'PE', since: string): Promise<number | null> {
  const [r] = await tx.query<{ id: number | null }>('select ha_latest_report($1, $2, $3::date) as id', [personId, type, since]);
  return r?.id ?? null;
}
