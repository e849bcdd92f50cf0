// The fault-injection run (test and bench): approved applications are uploaded while the national
// system misbehaves — down (connection refused) for part of the run, acknowledgements lost after it
// stored a message, random 5xx, feedback replies published twice and out of order — and the run ends
// when every upload is delivered and every application has its final national status. The report says
// whether each application reached the national side exactly once.
import { setTimeout as sleep } from 'node:timers/promises';
import { dispatchPending, dispatchRound } from '../../../platform/integration/dispatcher.ts';
import type { Simulator } from '../../../platform/integration/simulators/simulator.ts';
import { nationalStore } from '../../../platform/integration/simulators/systems/national-subsidy.ts';
import type { Kernel } from '../../../platform/kernel.ts';
import { NATIONAL } from './national.ts';

export interface FaultOptions {
  downForMs: number;
  loseAck: number;
  errorRate: number;
  duplicateReplies: number;
  outOfOrderReplies: number;
  /** Give up after this long. */
  timeoutMs: number;
}

export const DEFAULT_FAULTS: FaultOptions = { downForMs: 2_000, loseAck: 5, errorRate: 0.2, duplicateReplies: 0.5, outOfOrderReplies: 6, timeoutMs: 120_000 };

export interface FaultReport {
  approved: number;
  /** Applications the national side holds. */
  heldThere: number;
  /** Held there more than once (must be 0), and approved but not held there (must be 0). */
  heldTwice: number;
  missingThere: number;
  /** Redeliveries the national side absorbed by Idempotency-Key. */
  duplicateDeliveries: number;
  refusedWhileDown: boolean;
  repliesPublished: number;
  duplicateRepliesPublished: number;
  /** Applications whose final national status is not the national side's own (must be 0). */
  statusMismatches: number;
  deadMessages: number;
  exactlyOnce: boolean;
  seconds: number;
}

export async function runFaultScenario(
  kernel: Kernel,
  national: Simulator,
  sync: () => Promise<unknown>,
  opts: FaultOptions = DEFAULT_FAULTS,
): Promise<FaultReport> {
  const started = Date.now();
  const store = nationalStore(national);
  await sync(); // queue the uploads (nothing is sent yet)
  national.setFaults({
    loseAck: opts.loseAck,
    errorRate: opts.errorRate,
    duplicateReplies: opts.duplicateReplies,
    outOfOrderReplies: opts.outOfOrderReplies,
    onDuplicate: 'replay',
  });
  const { n: approved } = (await kernel.db.query<{ n: number }>(`select count(*)::int as n from cs_application where status = 'approved'`))[0]!;

  // Part of the uploads go through, then the national system goes down for a while.
  await dispatchRound(kernel, { systems: [NATIONAL] });
  await national.down('refuse', opts.downForMs);
  let refusedWhileDown = false;
  const deadline = started + opts.timeoutMs;
  for (;;) {
    const s = await dispatchPending(kernel, { systems: [NATIONAL], budgetMs: 1_000 });
    if (national.faults.down && s.retried > 0) refusedWhileDown = true;
    await sync().catch(() => {}); // feedback reads fail while it is down; the cursor stays where it was
    const o = (
      await kernel.db.query<{ open: number; unsettled: number }>(
        `select (select count(*)::int from outbox_message where system = $1 and status not in ('delivered', 'dead')) as open,
              (select count(*)::int from cs_application where status = 'approved' and national_rank < 2) as unsettled`,
        [NATIONAL],
      )
    )[0]!;
    if (o.open === 0 && o.unsettled === 0) break;
    if (o.open === 0) national.flushReplies();
    if (Date.now() > deadline) break;
    await sleep(100);
  }
  national.setFaults({ loseAck: 0, errorRate: 0, duplicateReplies: 0, outOfOrderReplies: 0 });

  const ours = await kernel.db.query<{ id: string; national_status: string | null }>(
    `select id::text as id, national_status from cs_application where status = 'approved'`,
  );
  const { dead } = (
    await kernel.db.query<{ dead: number }>(`select count(*)::int as dead from outbox_message where system = $1 and status = 'dead'`, [NATIONAL])
  )[0]!;
  const held = [...store.records.values()];
  const replyIds = national.replies.map((r) => r.replyId);
  const missingThere = ours.filter((o) => !store.records.has(Number(o.id))).length;
  const heldTwice = held.filter((r) => r.uploads !== 1).length;
  const statusMismatches = ours.filter((o) => store.records.get(Number(o.id))?.status !== o.national_status).length;
  return {
    approved,
    heldThere: held.length,
    heldTwice,
    missingThere,
    duplicateDeliveries: national.stats.duplicates,
    refusedWhileDown,
    repliesPublished: replyIds.length,
    duplicateRepliesPublished: replyIds.length - new Set(replyIds).size,
    statusMismatches,
    deadMessages: Number(dead),
    exactlyOnce: missingThere === 0 && heldTwice === 0 && held.length === approved && Number(dead) === 0,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}
