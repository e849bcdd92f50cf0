import { one } from '../db/rows.ts';
import { type Sql, sql, where } from '../db/sql.ts';
import type { Queryable } from '../db/types.ts';
import { notFound } from '../http/errors.ts';
import type { Kernel } from '../kernel.ts';
import { jobTypes } from './registry.ts';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'retrying' | 'cancelled' | 'interrupted';

export interface RunItem {
  id: number;
  job: string;
  title: string;
  status: RunStatus;
  trigger: string;
  payload: Record<string, unknown>;
  attempt: number;
  maxAttempts: number;
  runAfter: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
  progress: { done: number; total: number } | null;
  error: string | null;
  requestedBy: string | null;
  createdAt: Date;
}

export interface RunDetail extends RunItem {
  result: unknown;
  logs: { ts: Date; message: string }[];
}

const COLS = `id, job, status, trigger, payload, attempt, max_attempts, run_after, started_at, finished_at, heartbeat_at,
  progress_done, progress_total, error, requested_by, created_at`;

function toItem(kernel: Pick<Kernel, 'modules'>, r: Record<string, unknown>): RunItem {
  const job = r.job as string;
  return {
    id: Number(r.id),
    job,
    title: jobTypes(kernel).get(job)?.def.title ?? job,
    status: r.status as RunStatus,
    trigger: r.trigger as string,
    payload: (r.payload as Record<string, unknown>) ?? {},
    attempt: Number(r.attempt),
    maxAttempts: Number(r.max_attempts),
    runAfter: r.run_after as Date,
    startedAt: r.started_at as Date | null,
    finishedAt: r.finished_at as Date | null,
    heartbeatAt: r.heartbeat_at as Date | null,
    progress: r.progress_total == null ? null : { done: Number(r.progress_done ?? 0), total: Number(r.progress_total) },
    error: r.error as string | null,
    requestedBy: r.requested_by as string | null,
    createdAt: r.created_at as Date,
  };
}

/** Newest first. */
export async function listRuns(
  tx: Queryable,
  kernel: Pick<Kernel, 'modules'>,
  f: { job?: string; status?: RunStatus },
  page: number,
  pageSize: number,
): Promise<{ items: RunItem[]; total: number }> {
  const conds: Sql[] = [];
  if (f.job) conds.push(sql`job = ${f.job}`);
  if (f.status) conds.push(sql`status = ${f.status}`);
  const w = where(conds);
  const { n } = await one<{ n: number }>(tx, sql`select count(*)::int as n from job_run ${w}`);
  const rows = await tx.query(sql`select ${sql.raw(COLS)} from job_run ${w} order by id desc limit ${pageSize} offset ${(page - 1) * pageSize}`);
  return { total: n, items: rows.map((r) => toItem(kernel, r)) };
}

const MAX_LOG_LINES = 5000;

export async function getRun(tx: Queryable, kernel: Pick<Kernel, 'modules'>, id: number): Promise<RunDetail> {
  const [row] = await tx.query(`select ${COLS}, result from job_run where id = $1`, [id]);
  if (!row) throw notFound('运行记录不存在');
  // The last lines matter most for a long run; shown oldest first.
  const logs = await tx.query<{ ts: Date; message: string }>(
    `select ts, message from (select id, ts, message from job_log where run_id = $1 order by id desc limit $2) l order by id`,
    [id, MAX_LOG_LINES],
  );
  const item = toItem(kernel, row);
  return { ...item, progress: item.progress ?? { done: 0, total: 0 }, result: row.result ?? null, logs };
}
