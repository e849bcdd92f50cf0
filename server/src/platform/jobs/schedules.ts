import type { Queryable } from '../db/types.ts';
import { fieldError, notFound } from '../http/errors.ts';
import type { Kernel } from '../kernel.ts';
import { assertCron, nextRun } from './cron.ts';
import { jobType, jobTypes } from './registry.ts';

export interface RunSummary {
  id: number;
  status: string;
  trigger: string;
  attempt: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

export interface ScheduleItem {
  name: string;
  title: string;
  /** Module name, e.g. 'platform.audit'; moduleTitle is its display name. */
  module: string;
  moduleTitle: string;
  cron: string | null;
  enabled: boolean;
  payload: Record<string, unknown>;
  maxAttempts: number;
  nextRunAt: Date | null;
  lastRunAt: Date | null;
  lastRun: RunSummary | null;
  updatedBy: string | null;
  updatedAt: Date;
}

interface Row {
  name: string;
  title: string;
  cron: string | null;
  enabled: boolean;
  payload: Record<string, unknown>;
  max_attempts: number;
  next_run_at: Date | null;
  last_run_at: Date | null;
  updated_by: string | null;
  updated_at: Date;
  run_id: number | null;
  run_status: string | null;
  run_trigger: string | null;
  run_attempt: number | null;
  run_started_at: Date | null;
  run_finished_at: Date | null;
  run_error: string | null;
}

const SELECT = `
  select s.name, s.title, s.cron, s.enabled, s.payload, s.max_attempts, s.next_run_at, s.last_run_at, s.updated_by, s.updated_at,
         r.id as run_id, r.status as run_status, r.trigger as run_trigger, r.attempt as run_attempt,
         r.started_at as run_started_at, r.finished_at as run_finished_at, r.error as run_error
  from job_schedule s
  left join lateral (select * from job_run where job = s.name order by id desc limit 1) r on true`;

function toItem(kernel: Pick<Kernel, 'modules'>, r: Row): ScheduleItem {
  const t = jobTypes(kernel).get(r.name);
  return {
    name: r.name,
    title: r.title,
    module: t?.module.name ?? '',
    moduleTitle: t?.module.title ?? '',
    cron: r.cron,
    enabled: r.enabled,
    payload: r.payload ?? {},
    maxAttempts: Number(r.max_attempts),
    nextRunAt: r.enabled ? r.next_run_at : null,
    lastRunAt: r.last_run_at,
    lastRun:
      r.run_id == null
        ? null
        : {
            id: Number(r.run_id),
            status: r.run_status as string,
            trigger: r.run_trigger as string,
            attempt: Number(r.run_attempt),
            startedAt: r.run_started_at,
            finishedAt: r.run_finished_at,
            error: r.run_error,
          },
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  };
}

/** Schedules of the registered job types, in module order then name. */
export async function listSchedules(tx: Queryable, kernel: Pick<Kernel, 'modules'>): Promise<ScheduleItem[]> {
  const types = jobTypes(kernel);
  const order = new Map([...types.keys()].map((n, i) => [n, i]));
  const rows = await tx.query<Row>(`${SELECT} order by s.name`);
  return rows
    .filter((r) => types.has(r.name))
    .sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0))
    .map((r) => toItem(kernel, r));
}

export async function getSchedule(tx: Queryable, kernel: Pick<Kernel, 'modules'>, name: string): Promise<ScheduleItem> {
  jobType(kernel, name);
  const [row] = await tx.query<Row>(`${SELECT} where s.name = $1`, [name]);
  if (!row) throw notFound('任务不存在');
  return toItem(kernel, row);
}

export interface ScheduleChange {
  cron?: string | null;
  enabled?: boolean;
}

/**
 * Changes cron and/or the online flag. next_run_at is computed afresh from now, so switching a
 * schedule on never fires a time that passed while it was off. Returns before and after.
 */
export async function updateSchedule(
  tx: Queryable,
  kernel: Pick<Kernel, 'modules'>,
  name: string,
  change: ScheduleChange,
  by: string,
): Promise<{ before: ScheduleItem; after: ScheduleItem }> {
  jobType(kernel, name);
  const [cur] = await tx.query<{ cron: string | null; enabled: boolean }>('select cron, enabled from job_schedule where name = $1 for update', [name]);
  if (!cur) throw notFound('任务不存在');
  const before = await getSchedule(tx, kernel, name);
  const cron = change.cron === undefined ? cur.cron : change.cron === null || change.cron.trim() === '' ? null : assertCron(change.cron);
  const enabled = change.enabled ?? cur.enabled;
  if (enabled && !cron) throw fieldError('cron', '启用定时调度需填写 cron 表达式');
  await tx.query('update job_schedule set cron = $2, enabled = $3, next_run_at = $4, updated_by = $5, updated_at = now() where name = $1', [
    name,
    cron,
    enabled,
    cron ? nextRun(cron) : null,
    by,
  ]);
  return { before, after: await getSchedule(tx, kernel, name) };
}
