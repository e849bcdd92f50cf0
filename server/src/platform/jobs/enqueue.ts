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
