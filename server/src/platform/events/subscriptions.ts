import type { Database } from '../db/types.ts';
import type { WeijianModule } from '../module.ts';

export interface SubscriptionRow {
  event: string;
  job: string;
  module: string;
}

/**
 * The registry's subscriptions, checked: a module subscribes only to an event some module publishes, and
 * only with a job of its own (an event never starts another module's job). Throws at start otherwise.
 */
export function subscriptionsOf(modules: readonly WeijianModule[]): SubscriptionRow[] {
  const published = new Set(modules.flatMap((m) => (m.publishes ?? []).map((e) => e.name)));
  const rows: SubscriptionRow[] = [];
  for (const m of modules) {
    const own = new Set((m.jobs ?? []).map((j) => j.name));
    for (const s of m.subscribes ?? []) {
      if (!published.has(s.event)) throw new Error(`${m.name} subscribes to ${s.event}, which no registered module publishes`);
      if (!own.has(s.job)) throw new Error(`${m.name} subscribes to ${s.event} with ${s.job}, which is not one of its own jobs`);
      rows.push({ event: s.event, job: s.job, module: m.name });
    }
  }
  return rows;
}

/** Makes event_subscription say exactly what the registry says (a module removed takes its subscriptions along). */
export async function syncSubscriptions(db: Database, modules: readonly WeijianModule[]): Promise<void> {
  const rows = subscriptionsOf(modules);
  await db.transaction(async (tx) => {
    await tx.query('delete from event_subscription');
    for (const r of rows) await tx.query('insert into event_subscription (event, job, module) values ($1, $2, $3)', [r.event, r.job, r.module]);
  });
}
