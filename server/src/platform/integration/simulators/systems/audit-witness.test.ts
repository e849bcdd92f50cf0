import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyRing } from '../../../crypto/keyring.ts';
import { checkpointMessage } from '../../../audit/checkpoint.ts';
import { sendRequest } from '../../http-client.ts';
import { hmacSigner } from '../../signing.ts';
import { DEFAULT_CLIENT_ID, devSecret } from '../../systems.ts';
import { type Simulator, startSimulator } from '../simulator.ts';
import { auditWitnessSimulator } from './audit-witness.ts';

// The witness keeps signed checkpoints and refuses what a rewritten log would send it.
const keys = KeyRing.generate();
let sim: Simulator;
before(async () => {
  sim = await startSimulator(auditWitnessSimulator);
});
after(() => sim.stop());

const signer = hmacSigner(DEFAULT_CLIENT_ID, devSecret('audit-witness'));
const send = (method: 'GET' | 'POST', path: string, body?: unknown, key?: string) =>
  sendRequest({ baseUrl: sim.url, method, path, body, idempotencyKey: key, timeoutMs: 5_000, signer });
const status = (r: Awaited<ReturnType<typeof send>>) => (r.kind === 'response' ? r.status : r.kind);

function cp(id: number, fromSeq: number, toSeq: number, root: string, ring = keys) {
  const headHash = 'b'.repeat(64);
  return {
    v: 1,
    chain: 'c'.repeat(64),
    id,
    fromSeq,
    toSeq,
    merkleRoot: root,
    headHash,
    keyId: 'sm2-x',
    publicKey: ring.sm2PublicKey,
    signature: ring.sm2Sign(checkpointMessage(fromSeq, toSeq, root, headHash)),
    createdAt: new Date().toISOString(),
  };
}

test('keeps signed checkpoints; refuses a forged signature and a different checkpoint under a held id', async () => {
  const a = cp(1, 1, 10, 'a'.repeat(64));
  assert.equal(status(await send('POST', '/api/v1/checkpoints', a, 'checkpoint:c:1')), 200);
  const forged = { ...cp(2, 11, 20, 'd'.repeat(64)), merkleRoot: 'e'.repeat(64) };
  assert.equal(status(await send('POST', '/api/v1/checkpoints', forged, 'checkpoint:c:2')), 422);
  const rewritten = cp(1, 1, 8, 'f'.repeat(64));
  const r = await send('POST', '/api/v1/checkpoints', rewritten, 'checkpoint:c:1-again');
  assert.equal(status(r), 422);
  assert.match(JSON.stringify(r.kind === 'response' ? r.body : null), /已见证的检查点 #1 与本次内容不同/);
  const held = await send('GET', `/api/v1/checkpoints?chain=${'c'.repeat(64)}`);
  assert.equal(status(held), 200);
  assert.deepEqual(
    (held as { body: { items: { id: number; toSeq: number }[] } }).body.items.map((i) => [i.id, i.toSeq]),
    [[1, 10]],
  );
});
