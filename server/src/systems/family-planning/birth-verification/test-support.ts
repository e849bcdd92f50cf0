import { appendAudit } from '../../../platform/audit/append.ts';
import { AuditBuffer } from '../../../platform/audit/event.ts';
import { SYSTEM_PRINCIPAL } from '../../../platform/auth/principal.ts';
import type { Tx } from '../../../platform/db/types.ts';
import { CITY_SCOPE, scopeSettings } from '../../../platform/scope/scope.ts';
import type { TestApp } from '../../../test/harness.ts';
import type { IntakeDeps } from './daily-intake.ts';
import { mchFeedOf } from './world-feed.ts';

/** Tests: a transaction as the system principal, city scope, audit appended (what a job gets). */
export function systemTransaction(t: TestApp): IntakeDeps['transaction'] {
  return <T>(fn: (tx: Tx, audit: AuditBuffer) => Promise<T>) =>
    t.kernel.db.transaction(
      async (tx) => {
        const audit = new AuditBuffer();
        const out = await fn(tx, audit);
        await appendAudit(tx, SYSTEM_PRINCIPAL, audit.events, { ip: null, requestId: 'test' });
        return out;
      },
      { scope: scopeSettings(CITY_SCOPE, null) },
    );
}

/** The world's 市妇幼 birth records as the interface sends them (see world-feed.ts). */
export function worldFeed(t: TestApp, where = 'true'): Promise<Record<string, unknown>[]> {
  return mchFeedOf(t.kernel.db, t.kernel.keys, where);
}
