import type { Kernel } from '../kernel.ts';
import { afterTransaction, systemJobContext } from './context.ts';
import type { RunRow } from './queue.ts';
import { jobTypes } from './registry.ts';

const HEARTBEAT_MS = 30_000;
const MAX_LOG = 2000;
const MAX_ERROR = 4000;
const DEFAULT_BACKOFF_SECONDS = 30;

export function backoffSeconds(base: number, failedAttempt: number): number {
  return base * 2 ** (failedAttempt - 1);
}

function messageOf(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m || '未知错误').slice(0, MAX_ERROR);
}

/** Runs one claimed run to its end: succeeded, retrying (with backoff) or failed. Never throws. */
export async function executeRun(kernel: Kernel, run: RunRow): Promise<void> {
  const { db } = kernel;
  const write = afterTransaction;
  const log = (message: string) =>
    write(async () => {
      await db.query('insert into job_log (run_id, message) values ($1, $2)', [run.id, message.slice(0, MAX_LOG)]);
    });

  const type = jobTypes(kernel).get(run.job);
  if (!type) {
    await log('未注册的任务类型，无法执行');
    await db.query(`update job_run set status = 'failed', finished_at = now(), error = $2 where id = $1`, [run.id, '未注册的任务类型']);
    return;
  }
  const { def } = type;
  const ctx = systemJobContext(kernel, run, {
    log,
    progress: (done, total) =>
      write(async () => {
        await db.query('update job_run set progress_done = $2, progress_total = $3, heartbeat_at = now() where id = $1', [run.id, done, total]);
      }),
  });

  const heartbeat = setInterval(() => {
    db.query(`update job_run set heartbeat_at = now() where id = $1 and status = 'running'`, [run.id]).catch(() => {});
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const started = Date.now();
  try {
    const again = run.interruptions > 0 ? `中断后重新执行（第 ${run.interruptions} 次中断）` : null;
    await log(again ?? (run.attempt > 1 ? `开始执行（第 ${run.attempt} 次尝试）` : '开始执行'));
    const result = await def.handler(ctx, run.payload ?? {});
    await log(`执行成功，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
    await db.query(`update job_run set status = 'succeeded', finished_at = now(), heartbeat_at = now(), result = $2, error = null where id = $1`, [
      run.id,
      JSON.stringify(result ?? null),
    ]);
  } catch (e) {
    const msg = messageOf(e);
    kernel.log.warn({ job: run.job, runId: run.id, attempt: run.attempt, err: e }, 'job failed');
    try {
      if (run.attempt < run.max_attempts) {
        const delay = backoffSeconds(def.backoffSeconds ?? DEFAULT_BACKOFF_SECONDS, run.attempt);
        await log(`第 ${run.attempt} 次执行失败：${msg}；${delay} 秒后进行第 ${run.attempt + 1} 次尝试`);
        await db.query(
          `update job_run set status = 'retrying', attempt = attempt + 1, run_after = now() + $2 * interval '1 second',
             error = $3, heartbeat_at = null where id = $1`,
          [run.id, delay, msg],
        );
      } else {
        await log(run.max_attempts > 1 ? `执行失败（已尝试 ${run.attempt} 次）：${msg}` : `执行失败：${msg}`);
        await db.query(`update job_run set status = 'failed', finished_at = now(), error = $2 where id = $1`, [run.id, msg]);
      }
    } catch (e2) {
      // The database itself failed: the run stays 'running' and is re-queued once its heartbeat is stale.
      kernel.log.error({ job: run.job, runId: run.id, err: e2 }, 'could not record job failure');
    }
  } finally {
    clearInterval(heartbeat);
  }
}
