import type { Kernel } from '../kernel.ts';
import { nextRun } from '../jobs/cron.ts';
import { enqueueJob } from '../jobs/enqueue.ts';
import { executeRun } from '../jobs/execute.ts';
import type { RunRow } from '../jobs/queue.ts';
import { jobTypes } from '../jobs/registry.ts';

/**
 * What a demo's first start runs once after the world is built, so the headline pages open on real results
 * instead of zeros: the compliance rules over the generated hospital data (违规线索), the data self-check
 * (数据质量异常), the master-data consistency check and the childcare-subsidy screening, which otherwise wait
 * for their first night. Each is a normal job run (visible with its log in 任务调度), executed here before the
 * server listens.
 */
export const DEMO_FIRST_RUNS: readonly { job: string; payload: Record<string, unknown>; title: string }[] = [
  { job: 'compliance.run', payload: { mode: 'full' }, title: '医疗服务合规监测（全部启用规则，全量）' },
  { job: 'data-quality.check', payload: {}, title: '多源数据质量自检' },
  { job: 'master-data.consistency-check', payload: {}, title: '主数据一致性检查' },
  { job: 'childcare-subsidy.screen', payload: {}, title: '育儿补贴人群筛选（免申即享）' },
  // The world's 市妇幼/公安 deaths of residents under a family doctor's care → the doctors' 死亡核实 tasks.
  { job: 'family-doctor.death-scan', payload: {}, title: '签约居民死亡核查（居民主索引）' },
];

/**
 * Schedules that are off by default in a real installation (an administrator decides when they run) but
 * that a demo needs on, so its findings keep following the data day after day.
 */
export const DEMO_ENABLED_SCHEDULES: readonly string[] = ['compliance.run'];

export interface FirstRunResult {
  job: string;
  status: string;
  ms: number;
}

/** Marks one specific queued run as running (as claimNextRun does for the oldest). */
async function claim(kernel: Kernel, id: number): Promise<RunRow | null> {
  const [run] = await kernel.db.query<RunRow>(
    `update job_run set status = 'running', started_at = now(), heartbeat_at = now(), finished_at = null
      where id = $1 and status = 'queued'
      returning id, job, status, trigger, payload, attempt, max_attempts`,
    [id],
  );
  if (!run) return null;
  await kernel.db.query('update job_schedule set last_run_at = now() where name = $1', [run.job]);
  return { ...run, id: Number(run.id), attempt: Number(run.attempt), max_attempts: Number(run.max_attempts) };
}

/** Turns the demo schedules on (unless an administrator has changed them) and executes the first runs in turn. */
export async function runDemoFirstRuns(kernel: Kernel, onRun?: (title: string, ms?: number, status?: string) => void): Promise<FirstRunResult[]> {
  const types = jobTypes(kernel);
  for (const name of DEMO_ENABLED_SCHEDULES) {
    const cron = types.get(name)?.def.defaultCron;
    if (!cron) continue;
    await kernel.db.query(
      `update job_schedule set enabled = true, next_run_at = $2, updated_by = 'demo', updated_at = now()
        where name = $1 and not enabled and updated_by = 'system'`,
      [name, nextRun(cron)],
    );
  }
  const results: FirstRunResult[] = [];
  for (const r of DEMO_FIRST_RUNS) {
    if (!types.has(r.job)) continue;
    const t0 = Date.now();
    onRun?.(r.title);
    const id = await enqueueJob(kernel.db, r.job, r.payload, 'system', 'demo');
    const run = await claim(kernel, id);
    if (run) await executeRun(kernel, run);
    const [row] = await kernel.db.query<{ status: string }>('select status from job_run where id = $1', [id]);
    const ms = Date.now() - t0;
    onRun?.(r.title, ms, row?.status);
    results.push({ job: r.job, status: row?.status ?? 'missing', ms });
  }
  return results;
}
