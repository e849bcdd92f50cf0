// The job queue is our own small one rather than pg-boss: schedules, runs, attempts and logs are three
// plain tables (migrations/001_jobs.sql) that the jobs console reads directly, and the same SQL runs on
// embedded PGlite and on a PostgreSQL server. pg-boss would need its own schema and an executeSql shim
// for PGlite, and keeps history and cron in its own shapes. What we need is little: due schedules are
// enqueued and runs claimed with FOR UPDATE SKIP LOCKED (several processes never take the same row),
// a worker identity with its own heartbeat lets a restarted process take over the runs of a killed one at
// once (worker.ts), and failures retry with exponential backoff on the same run row.
import type { Kernel } from '../kernel.ts';
import { executeRun } from './execute.ts';
import { claimNextRun, enqueueDueSchedules, requeueStaleRuns } from './queue.ts';
import { beatWorker, interruptRunsOfGoneWorkers, registerWorker, stopWorker, WORKER_HEARTBEAT_MS, type WorkerIdentity } from './worker.ts';

export interface Scheduler {
  stop(): Promise<void>;
  /** Look for work now instead of at the next tick (e.g. right after "run now"). */
  wake(): void;
  /** This process's worker id once registered (first tick). */
  workerId(): string | null;
}

export interface SchedulerOptions {
  /** Pause between ticks (default 1 s). */
  tickMs?: number;
  /** Runs executed at once by this process (default: config jobConcurrency, else 1). */
  concurrency?: number;
  /** A running run without heartbeat this long is taken as abandoned (default 5). */
  staleMinutes?: number;
  /** How long stop() waits for runs in progress (default 10 s); unfinished ones are re-queued later. */
  stopTimeoutMs?: number;
  /** Enqueue due cron schedules (default true). Off, only runs started by hand are executed. */
  schedules?: boolean;
}

const STALE_CHECK_MS = 60_000;

/** Config.jobConcurrency (WEIJIAN_JOB_CONCURRENCY) once the config carries it. */
function configuredConcurrency(kernel: Kernel): number | undefined {
  const v = (kernel.config as { jobConcurrency?: unknown }).jobConcurrency;
  return typeof v === 'number' && v >= 1 ? v : undefined;
}

/** Starts the tick loop in this process; kernel.services.jobs gets { wake }. */
export function startScheduler(kernel: Kernel, opts: SchedulerOptions = {}): Scheduler {
  const tickMs = opts.tickMs ?? 1000;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? configuredConcurrency(kernel) ?? 1));
  const staleMinutes = opts.staleMinutes ?? 5;
  const active = new Set<Promise<void>>();
  const activeIds = new Set<number>();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let again = false;
  let lastStaleCheck = 0;
  let worker: WorkerIdentity | null = null;
  let lastBeat = 0;

  // Runs of workers that are gone become 'interrupted' and are claimed below like queued ones.
  const takeOverInterrupted = async (me: WorkerIdentity) => {
    const ids = await interruptRunsOfGoneWorkers(kernel.db, me);
    if (ids.length) kernel.log.warn({ runs: ids }, 'runs of a gone job worker marked interrupted and retried');
  };

  const tick = async () => {
    if (!worker) {
      worker = await registerWorker(kernel.db);
      lastBeat = Date.now();
      await takeOverInterrupted(worker);
    } else if (Date.now() - lastBeat >= WORKER_HEARTBEAT_MS) {
      lastBeat = Date.now();
      await beatWorker(kernel.db, worker.id);
      await takeOverInterrupted(worker);
    }
    if (Date.now() - lastStaleCheck >= STALE_CHECK_MS) {
      lastStaleCheck = Date.now();
      const ids = await requeueStaleRuns(kernel.db, staleMinutes, [...activeIds]);
      if (ids.length) kernel.log.warn({ runs: ids }, 'stale job runs re-queued');
    }
    if (opts.schedules !== false) await enqueueDueSchedules(kernel);
    while (!stopped && active.size < concurrency) {
      const run = await claimNextRun(kernel.db, worker.id);
      if (!run) break;
      activeIds.add(run.id);
      const p: Promise<void> = executeRun(kernel, run)
        .catch((err) => kernel.log.error({ err, runId: run.id }, 'job run crashed'))
        .finally(() => {
          active.delete(p);
          activeIds.delete(run.id);
          wake(); // a slot is free: there may be more queued
        });
      active.add(p);
    }
  };

  const loop = () => {
    timer = null;
    if (stopped) return;
    ticking = tick()
      .catch((err) => kernel.log.error({ err }, 'job scheduler tick failed'))
      .finally(() => {
        ticking = null;
        if (stopped) return;
        timer = setTimeout(loop, again ? 0 : tickMs);
        again = false;
      });
  };

  function wake() {
    if (stopped) return;
    if (ticking) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(loop, 0);
  }

  timer = setTimeout(loop, 0);
  const scheduler: Scheduler = {
    wake,
    workerId: () => worker?.id ?? null,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ticking;
      const timeout = new Promise<void>((r) => setTimeout(r, opts.stopTimeoutMs ?? 10_000).unref());
      await Promise.race([Promise.all(active), timeout]);
      // A clean stop: another process may take over at once whatever is still unfinished.
      if (worker) await stopWorker(kernel.db, worker.id).catch((err) => kernel.log.warn({ err }, 'could not record job worker stop'));
      if (kernel.services.jobs === scheduler) delete kernel.services.jobs;
    },
  };
  kernel.services.jobs = scheduler;
  return scheduler;
}

/**
 * Processes due work synchronously in the caller (tests, CLI): enqueues due schedules, then runs
 * queued runs one after another until none is due (untilIdle, default) or after one run.
 * Returns how many runs were executed.
 */
export async function runPendingJobs(kernel: Kernel, opts: { untilIdle?: boolean; max?: number } = {}): Promise<number> {
  const untilIdle = opts.untilIdle ?? true;
  const max = opts.max ?? 1000;
  let n = 0;
  while (n < max) {
    await enqueueDueSchedules(kernel);
    const run = await claimNextRun(kernel.db);
    if (!run) break;
    await executeRun(kernel, run);
    n++;
    if (!untilIdle) break;
  }
  return n;
}
