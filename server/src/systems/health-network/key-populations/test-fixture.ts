import { AuditBuffer } from '../../../platform/audit/event.ts';
import { appendAudit } from '../../../platform/audit/append.ts';
import { SYSTEM_PRINCIPAL } from '../../../platform/auth/principal.ts';
import type { JobContext } from '../../../platform/jobs/types.ts';
import { CITY_SCOPE, scopeSettings } from '../../../platform/scope/scope.ts';
import type { TestApp } from '../../../test/harness.ts';

/** A job context running as the system principal (city scope), as the scheduler would. */
export function jobContext(t: TestApp, runId = 1): JobContext {
  const db = t.kernel.db;
  return {
    kernel: t.kernel, runId, attempt: 1, log: async () => {}, progress: async () => {},
    transaction: (fn) => db.transaction(async (tx) => {
      const audit = new AuditBuffer();
      const out = await fn(tx, audit);
      await appendAudit(tx, SYSTEM_PRINCIPAL, audit.events, { ip: null, requestId: 'test' });
      return out;
    }, { scope: scopeSettings(CITY_SCOPE, null) }),
  };
}
