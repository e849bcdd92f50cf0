import type { AuditBuffer } from '../audit/event.ts';
import type { Tx } from '../db/types.ts';
import type { Kernel } from '../kernel.ts';
import type { ServiceContext } from '../service-context.ts';

export interface JobContext {
  kernel: Kernel;
  runId: number;
  attempt: number;
  /** Appends a line to the run's log (shown in the jobs console). */
  log(message: string): Promise<void>;
  /** Reports progress for the console's progress bar. */
  progress(done: number, total: number): Promise<void>;
  /** A transaction as the system principal (city scope, RLS applied); audit events are appended before commit. */
  transaction<T>(fn: (tx: Tx, audit: AuditBuffer) => Promise<T>): Promise<T>;
  /**
   * The same without row-level security (the connection's own role), for a city-wide system task reading
   * millions of rows: city scope lets it see every row anyway, but the policy would still be evaluated per
   * row and keep index-only scans from being used (3× the time of a full pass over 10M fee lines). Never
   * for work done on a user's behalf or narrower than the whole city.
   */
  /** transaction() as the ServiceContext a route handler passes to the same operations (the system principal). */
  service<T>(fn: (ctx: ServiceContext) => Promise<T>): Promise<T>;
  systemTransaction<T>(fn: (tx: Tx, audit: AuditBuffer) => Promise<T>): Promise<T>;
}

/** A job type a module registers. Schedules and runs are stored in the database (platform/jobs). */
export interface JobDef {
  name: string;
  title: string;
  /** Cron (5 fields, Asia/Shanghai) for the schedule created on first start; null = on demand only. */
  defaultCron?: string | null;
  /** Whether that first schedule starts online. */
  defaultEnabled?: boolean;
  /** Attempts after the first failure; delay doubles from backoffSeconds. */
  retries?: number;
  backoffSeconds?: number;
  handler: (ctx: JobContext, payload: Record<string, unknown>) => Promise<unknown>;
}
