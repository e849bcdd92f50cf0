import type { Queryable } from '../db/types.ts';
import { enqueueJobOnce } from '../jobs/enqueue.ts';

/**
 * Announces that something happened (a module's declared `publishes` event): queues, in the caller's
 * transaction, one run of every job subscribed to it — atomically with the write that caused it, and at most
 * one pending run per job (a second death recorded before the scan ran joins that run). The publisher
 * names no subscriber: with none installed nothing is queued. Returns the run ids.
 */
export async function publishEvent(tx: Queryable, event: string, requestedBy: string | null): Promise<number[]> {
  // a world built into a bare database has no kernel tables: nothing listens there
  const [known] = await tx.query<{ ok: boolean }>(`select to_regclass('event_subscription') is not null and to_regclass('job_schedule') is not null as ok`);
  if (!known?.ok) return [];
  const subs = await tx.query<{ job: string }>(
    'select s.job from event_subscription s join job_schedule j on j.name = s.job where s.event = $1 order by s.job',
    [event],
  );
  const runs: number[] = [];
  for (const s of subs) runs.push((await enqueueJobOnce(tx, s.job, {}, 'system', requestedBy)).runId);
  return runs;
}
