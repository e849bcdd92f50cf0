import type { Database } from '../db/types.ts';
import type { Kernel } from '../kernel.ts';
import { nextRun } from './cron.ts';
import { enqueueJob } from './enqueue.ts';
import { jobTypes } from './registry.ts';

export interface RunRow {
  id: number;
  job: string;
  status: string;
  trigger: string;
  payload: Record<string, unknown>;
  attempt: number;
  max_attempts: number;
  /** Times an earlier execution of this run was cut off by its process dying (platform/jobs/worker.ts). */
  interruptions: number;
}

/**
 * Enqueues one run for every enabled schedule that is due and moves its next_run_at on, in one
 * transaction. FOR UPDATE SKIP LOCKED: a schedule another process is enqueueing right now is skipped,
 * and once that commits its next_run_at lies in the future, so a due time is enqueued exactly once.
 * Missed times (the server was down) collapse into one run.
 */
export async function enqueueDueSchedules(kernel: Pick<Kernel, 'db' | 'modules' | 'log'>): Promise<number> {
  const types = jobTypes(kernel);
  // Most ticks find nothing due: a plain read first keeps them from opening a transaction.
  const [any] = await kernel.db.query('select 1 from job_schedule where enabled and cron is not null and next_run_at <= now() limit 1');
  if (!any) return 0;
  return kernel.db.transaction(async (tx) => {
    const due = await tx.query<{ name: string; cron: string; payload: Record<string, unknown> }>(
      `select name, cron, payload from job_schedule
       where enabled and cron is not null and next_run_at <= now()
       order by next_run_at for update skip locked`,
    );
    let n = 0;
    for (const s of due) {
      let next: Date | null = null;
      try {
        next = nextRun(s.cron);
      } catch (e) {
        kernel.log.error({ job: s.name, cron: s.cron, err: e }, 'invalid cron in job_schedule');
      }
      await tx.query('update job_schedule set next_run_at = $2 where name = $1', [s.name, next]);
      // A schedule left behind by a removed module stays in the table but runs nothing.
      if (!types.has(s.name)) continue;
      await enqueueJob(tx, s.name, s.payload ?? {}, 'schedule', 'system');
      n++;
    }
    return n;
  });
}

/**
 * Takes the oldest due queued/retrying/interrupted run (skipping runs another worker is taking) and marks
 * it running by `workerId` (null: executed in the caller without a registered worker).
 */
export async function claimNextRun(db: Database, workerId: string | null = null): Promise<RunRow | null> {
  const [run] = await db.query<RunRow>(
    `with next as (
       select id from job_run
       where status in ('queued', 'retrying', 'interrupted') and run_after <= now()
       order by run_after, id limit 1 for update skip locked
     )
     update job_run r set status = 'running', started_at = now(), heartbeat_at = now(), finished_at = null, worker_id = $1
     from next where r.id = next.id
     returning r.id, r.job, r.status, r.trigger, r.payload, r.attempt, r.max_attempts, r.interruptions`,
    [workerId],
  );
  if (!run) return null;
  await db.query('update job_schedule set last_run_at = now() where name = $1', [run.job]);
  return { ...run, id: Number(run.id), attempt: Number(run.attempt), max_attempts: Number(run.max_attempts), interruptions: Number(run.interruptions) };
}

/**
 * Runs whose worker died (no heartbeat for `minutes`) go back to the queue; returns their ids.
 * exceptIds: runs this process is executing (a long PGlite transaction can delay their heartbeat).
 */
export async function requeueStaleRuns(db: Database, minutes = 5, exceptIds: readonly number[] = []): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `update job_run set status = 'queued', run_after = now(), heartbeat_at = null
     where status = 'running' and coalesce(heartbeat_at, started_at, created_at) < now() - $1 * interval '1 minute'
       and not (id = any($2::bigint[]))
     returning id`,
    [minutes, exceptIds],
  );
  for (const r of rows) {
    await db.query('insert into job_log (run_id, message) values ($1, $2)', [r.id, `执行进程中断（超过 ${minutes} 分钟无心跳），任务重新排队`]);
  }
  return rows.map((r) => Number(r.id));
}
