import { AsyncLocalStorage } from 'node:async_hooks';
import { appendAudit } from '../audit/append.ts';
import { AuditBuffer } from '../audit/event.ts';
import { SYSTEM_PRINCIPAL } from '../auth/principal.ts';
import type { Tx, TxOptions } from '../db/types.ts';
import type { Kernel } from '../kernel.ts';
import { CITY_SCOPE, scopeSettings } from '../scope/scope.ts';
import type { JobContext } from './types.ts';

// Inside a job's transaction the connection is taken (on PGlite the only one): log and progress lines
// written meanwhile wait in this list and are written right after the transaction ends.
const deferred = new AsyncLocalStorage<(() => Promise<void>)[]>();

/** Runs `op` now, or after the job transaction it is called inside (see `deferred`). */
export async function afterTransaction(op: () => Promise<void>): Promise<void> {
  const later = deferred.getStore();
  if (later) later.push(op);
  else await op();
}

/**
 * The context a job handler gets, as the system principal: `transaction` under city scope (RLS applied),
 * `systemTransaction` without RLS; audit events are appended before commit. The executor passes the run's
 * log and progress writers; tests call it with the defaults (they do nothing).
 */
export function systemJobContext(
  kernel: Kernel,
  run: { id: number; attempt: number },
  io: Pick<JobContext, 'log' | 'progress'> = { log: async () => {}, progress: async () => {} },
): JobContext {
  const inTransaction = async <T>(fn: (tx: Tx, audit: AuditBuffer) => Promise<T>, options: TxOptions): Promise<T> => {
    const later: (() => Promise<void>)[] = [];
    try {
      return await deferred.run(later, () =>
        kernel.db.transaction(async (tx) => {
          const audit = new AuditBuffer();
          const out = await fn(tx, audit);
          await appendAudit(tx, SYSTEM_PRINCIPAL, audit.events, { ip: null, requestId: `job-run:${run.id}` });
          return out;
        }, options),
      );
    } finally {
      for (const op of later) await op();
    }
  };
  return {
    kernel,
    runId: run.id,
    attempt: run.attempt,
    ...io,
    transaction: (fn) => inTransaction(fn, { scope: scopeSettings(CITY_SCOPE, null) }),
    service: (fn) => inTransaction((tx, audit) => fn({ tx, audit, principal: SYSTEM_PRINCIPAL, kernel }), { scope: scopeSettings(CITY_SCOPE, null) }),
    systemTransaction: (fn) => inTransaction(fn, {}),
  };
}
