import type { Queryable } from '../db/types.ts';
import { notFound } from '../http/errors.ts';
import type { Kernel } from '../kernel.ts';
import type { WeijianModule } from '../module.ts';
import { cronProblem, nextRun } from './cron.ts';
import type { JobDef } from './types.ts';

export interface JobType {
  def: JobDef;
  module: WeijianModule;
}

export const maxAttempts = (def: JobDef) => Math.min(100, Math.max(0, Math.floor(def.retries ?? 0)) + 1);

const cache = new WeakMap<readonly WeijianModule[], Map<string, JobType>>();

/** Every job type the registered modules declare, by name. */
export function jobTypes(kernel: Pick<Kernel, 'modules'>): Map<string, JobType> {
  let m = cache.get(kernel.modules);
  if (!m) {
    m = new Map();
    for (const module of kernel.modules) {
      for (const def of module.jobs ?? []) {
        if (m.has(def.name)) throw new Error(`job registered twice: ${def.name}`);
        if (def.defaultCron && cronProblem(def.defaultCron)) throw new Error(`job ${def.name}: ${cronProblem(def.defaultCron)}`);
        m.set(def.name, { def, module });
      }
    }
    cache.set(kernel.modules, m);
  }
  return m;
}

/** 404 for a name no module registers. */
export function jobType(kernel: Pick<Kernel, 'modules'>, name: string): JobType {
  const t = jobTypes(kernel).get(name);
  if (!t) throw notFound('任务不存在');
  return t;
}

/**
 * One job_schedule row per job type, created on start when missing with the module's defaults.
 * An existing row keeps its cron, enabled flag and payload (an administrator's edits); only the
 * title and the number of attempts follow the code.
 */
export async function ensureSchedules(db: Queryable, kernel: Pick<Kernel, 'modules'>): Promise<number> {
  let created = 0;
  for (const [name, { def }] of jobTypes(kernel)) {
    const cron = def.defaultCron ?? null;
    const attempts = maxAttempts(def);
    const rows = await db.query(
      `insert into job_schedule (name, title, cron, enabled, next_run_at, max_attempts, updated_by)
       values ($1, $2, $3, $4, $5, $6, 'system') on conflict (name) do nothing returning name`,
      [name, def.title, cron, def.defaultEnabled ?? false, cron ? nextRun(cron) : null, attempts],
    );
    if (rows.length) created++;
    else {
      await db.query('update job_schedule set title = $2, max_attempts = $3 where name = $1 and (title <> $2 or max_attempts <> $3)', [
        name,
        def.title,
        attempts,
      ]);
    }
  }
  return created;
}
