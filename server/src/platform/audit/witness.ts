// The witness: an outside system that keeps a copy of every signed checkpoint, so the anchors survive
// even someone who controls both the database and the server's disk. Pushed through the outbox in the
// checkpoint's own transaction (exists exactly when the checkpoint commits), delivered at least once;
// the witness deduplicates by the Idempotency-Key (chain + checkpoint id). Configure with
// WEIJIAN_AUDIT_WITNESS_URL / _SECRET (integration/README.md); the simulator is simulators/systems/audit-witness.ts.
import type { Queryable } from '../db/types.ts';
import { defineAdapter } from '../integration/adapter.ts';
import { enqueueMessage } from '../integration/outbox.ts';
import type { AnchorRecord } from './anchor-record.ts';

export const AUDIT_WITNESS = 'audit-witness';
export const WITNESS_PATH = '/api/v1/checkpoints';

/** Declared by the audit module. */
export const witnessAdapter = defineAdapter({
  system: AUDIT_WITNESS,
  request: (m) => ({ method: 'POST', path: WITNESS_PATH, body: m.payload }),
  // A witness that is down for a day must still get every checkpoint.
  retry: { maxAttempts: 20, baseDelayMs: 30_000, maxDelayMs: 3_600_000 },
});

export async function enqueueWitness(tx: Queryable, record: AnchorRecord): Promise<void> {
  await enqueueMessage(tx, {
    system: AUDIT_WITNESS,
    topic: 'audit.checkpoint',
    key: `checkpoint:${record.chain.slice(0, 16)}:${record.id}`,
    payload: { ...record },
    districtCode: null,
  });
}
