// Worker identity and interrupted runs. Every process that executes runs registers a job_worker row and
// beats its heartbeat; claimed runs carry the worker's id. A run whose worker is gone is marked
// 'interrupted' at once (not after minutes without a run heartbeat) and claimed again like a queued run.
// "Gone" is decided without waiting where possible: the worker stopped cleanly, or it ran on this host
// and its process no longer exists (or is this very process under a new identity: a restarted container
// keeps its hostname and pid 1), or — embedded PGlite — the database belongs to this process alone. A
// worker on another host is gone once its heartbeat is stale.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../db/types.ts';

export interface WorkerIdentity {
  id: string;
  host: string;
  pid: number;
}

/** Worker heartbeat period; a worker silent for WORKER_STALE_SECONDS is taken as gone. */
export const WORKER_HEARTBEAT_MS = 10_000;
export const WORKER_STALE_SECONDS = 45;
/** A run interrupted more often than this (it may be what kills its process) fails instead. */
export const MAX_INTERRUPTIONS = 3;

/** Stopped workers are kept this long (the console's run history names them), then deleted. */
const KEEP_STOPPED_DAYS = 30;

export async function registerWorker(db: Database): Promise<WorkerIdentity> {
  const me = { id: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`, host: hostname(), pid: process.pid };
  await db.query('insert into job_worker (id, host, pid) values ($1, $2, $3)', [me.id, me.host, me.pid]);
  // One row per process start: old stopped ones go (their runs keep worker_id null).
  await db.query(`delete from job_worker where stopped_at < now() - $1 * interval '1 day'`, [KEEP_STOPPED_DAYS]);
  return me;
}

/**
 * A beat also clears stopped_at: a worker another process took for gone (its beat was late, e.g. the
 * database unreachable for a while) is alive after all, and its later runs must not be taken from it.
 */
export async function beatWorker(db: Database, id: string): Promise<void> {
  await db.query('update job_worker set heartbeat_at = now(), stopped_at = null where id = $1', [id]);
}

export async function stopWorker(db: Database, id: string): Promise<void> {
  await db.query('update job_worker set stopped_at = now() where id = $1 and stopped_at is null', [id]);
}

/** Whether a process with this pid exists on this host (EPERM: it exists, owned by someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface WorkerRow {
  id: string;
  host: string;
  pid: number;
  stale: boolean;
  stopped: boolean;
}

export function isGone(w: WorkerRow, me: WorkerIdentity, embedded: boolean): boolean {
  if (w.id === me.id) return false;
  if (w.stopped || w.stale || embedded) return true;
  if (w.host !== me.host) return false;
  return w.pid === me.pid || !processExists(w.pid);
}

/**
 * Marks the running runs of gone workers 'interrupted' (claimable at once) or, past MAX_INTERRUPTIONS,
 * 'failed'; marks those workers stopped. Returns the interrupted run ids. Runs claimed without a worker
 * (runPendingJobs in tests and scripts) are left to the run-heartbeat check (requeueStaleRuns).
 */
export async function interruptRunsOfGoneWorkers(db: Database, me: WorkerIdentity): Promise<number[]> {
  const workers = await db.query<WorkerRow>(
    `select w.id, w.host, w.pid, w.heartbeat_at < now() - $1 * interval '1 second' as stale, w.stopped_at is not null as stopped
       from job_worker w
      where w.id <> $2 and (w.stopped_at is null or exists (select 1 from job_run r where r.worker_id = w.id and r.status = 'running'))`,
    [WORKER_STALE_SECONDS, me.id],
  );
  const gone = workers.filter((w) => isGone({ ...w, pid: Number(w.pid) }, me, db.kind === 'pglite'));
  if (gone.length === 0) return [];
  const ids = gone.map((w) => w.id);
  return db.transaction(async (tx) => {
    const runs = await tx.query<{ id: number; interruptions: number; worker_id: string }>(
      `update job_run set interruptions = interruptions + 1, heartbeat_at = null, run_after = now(),
              status = case when interruptions + 1 > $2 then 'failed' else 'interrupted' end,
              finished_at = case when interruptions + 1 > $2 then now() end,
              error = case when interruptions + 1 > $2 then $3 else error end
        where status = 'running' and worker_id = any($1::text[])
        returning id, interruptions, worker_id`,
      [ids, MAX_INTERRUPTIONS, `执行进程连续中断 ${MAX_INTERRUPTIONS + 1} 次，不再重试`],
    );
    for (const r of runs) {
      const w = gone.find((g) => g.id === r.worker_id);
      const who = w ? `${w.host} 上的进程 ${w.pid}` : '执行进程';
      const n = Number(r.interruptions);
      await tx.query('insert into job_log (run_id, message) values ($1, $2)', [
        r.id,
        n > MAX_INTERRUPTIONS ? `${who}已退出，运行第 ${n} 次中断，不再重试` : `${who}已退出，运行中断（第 ${n} 次），立即重新执行`,
      ]);
    }
    await tx.query('update job_worker set stopped_at = coalesce(stopped_at, now()) where id = any($1::text[])', [ids]);
    return runs.filter((r) => Number(r.interruptions) <= MAX_INTERRUPTIONS).map((r) => Number(r.id));
  });
}
