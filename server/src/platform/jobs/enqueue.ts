import type { Queryable } from '../db/types.ts';
import { notFound } from '../http/errors.ts';

export type JobTrigger = 'manual' | 'schedule' | 'retry' | 'system';

/**
 * Queues a run of `name` inside the caller's transaction, so the run exists exactly when the write
 * that needs it commits. Returns the run id. max_attempts (= the job's retries + 1) comes from the
 * job's schedule row, which the jobs module creates for every registered job type on start; an
 * unknown name is a 404.
 */
export async function enqueueJob(
  tx: Queryable,
  name: string,
  payload: Record<string, unknown> = {},
  trigger: JobTrigger = 'system',
  requestedBy: string | null = null,
): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `insert into job_run (job, status, trigger, payload, attempt, max_attempts, requested_by)
     select name, 'queued', $2, $3, 1, max_attempts, $4 from job_schedule where name = $1
     returning id`,
    [name, trigger, JSON.stringify(payload ?? {}), requestedBy],
  );
  if (!row) throw notFound('任务不存在');
  return Number(row.id);
}

/** A run in one of these states has not finished: it will still run (interrupted runs are claimed again). */
export const PENDING_RUN_STATUSES = ['queued', 'running', 'retrying', 'interrupted'];

/**
 * Like enqueueJob, but while a run of the same job with the same parameters is still queued, running,
 * waiting to retry or interrupted (it will be claimed again), answers with that run instead of queueing a
 * duplicate (a double click, two administrators, a retried request). The dedupe key is the job name plus
 * its payload as jsonb (key order does not matter) without `requestedBy`: who asked is attribution, not a
 * parameter, so a second administrator's request finds the first one's run. A transaction-scoped
 * advisory lock on that key makes two concurrent callers agree on one run.
 */
export async function enqueueJobOnce(
  tx: Queryable,
  name: string,
  payload: Record<string, unknown> = {},
  trigger: JobTrigger = 'manual',
  requestedBy: string | null = null,
): Promise<{ runId: number; existing: boolean }> {
  const { requestedBy: _who, ...params } = payload ?? {};
  const key = JSON.stringify(params);
  await tx.query(`select pg_advisory_xact_lock(hashtext('job_run:' || $1::text || ':' || $2::jsonb::text))`, [name, key]);
  const [pending] = await tx.query<{ id: number }>(
    `select id from job_run where job = $1 and payload - 'requestedBy' = $2::jsonb and status = any($3::text[]) order by id limit 1`,
    [name, key, PENDING_RUN_STATUSES],
  );
  if (pending) return { runId: Number(pending.id), existing: true };
  return { runId: await enqueueJob(tx, name, payload, trigger, requestedBy), existing: false };
}
