import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { sm2Verify } from '../crypto/sm2.ts';
import { type TestApp, testApp } from '../../test/harness.ts';
import { enqueueJob } from '../jobs/enqueue.ts';
import { runPendingJobs } from '../jobs/scheduler.ts';
import { checkpointMessage, createCheckpoint, keyIdOf } from './checkpoint.ts';
import { merkleRoot } from './merkle.ts';
import { appendEvents, resetAudit } from './test-helpers.ts';
import { verifyAudit } from './verify.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());
beforeEach(() => resetAudit(t.kernel.db));

const hashes = async (from: number, to: number) =>
  (await t.kernel.db.query<{ hash: string }>('select hash from audit_event where seq between $1 and $2 order by seq', [from, to])).map((r) => r.hash);

test('nothing appended: no checkpoint', async () => {
  assert.equal(await t.kernel.db.transaction((tx) => createCheckpoint(tx, t.kernel.keys)), null);
});

test('checkpoints cover consecutive ranges up to the head, signed with the platform SM2 key', async () => {
  const { db, keys } = t.kernel;
  await appendEvents(db, 5);
  const a = await db.transaction((tx) => createCheckpoint(tx, keys));
  assert.ok(a);
  assert.deepEqual([a.fromSeq, a.toSeq], [1, 5]);
  assert.equal(a.merkleRoot, merkleRoot(await hashes(1, 5)));
  assert.equal(a.headHash, (await hashes(5, 5))[0]);
  assert.equal(a.publicKey, keys.sm2PublicKey);
  assert.match(a.keyId, /^sm2-[0-9a-f]{16}$/);
  assert.equal(a.keyId, keyIdOf(keys.sm2PublicKey));
  assert.ok(sm2Verify(checkpointMessage(1, 5, a.merkleRoot, a.headHash), a.signature, keys.sm2PublicKey));
  assert.ok(!sm2Verify(checkpointMessage(1, 6, a.merkleRoot, a.headHash), a.signature, keys.sm2PublicKey));

  assert.equal(await db.transaction((tx) => createCheckpoint(tx, keys)), null, 'no-op when nothing new');

  await appendEvents(db, 3, undefined, 6);
  const b = await db.transaction((tx) => createCheckpoint(tx, keys));
  assert.deepEqual([b?.fromSeq, b?.toSeq], [6, 8]);
  assert.equal(b?.merkleRoot, merkleRoot(await hashes(6, 8)));

  const r = await verifyAudit(db, { trustedPublicKeys: [keys.sm2PublicKey] });
  assert.deepEqual(r, { ok: true, checkedEvents: 8, checkedCheckpoints: 2, checkedAnchors: 0, firstBroken: null });
});

test('a long stretch is split by maxEvents and continued by the next run', async () => {
  const { db, keys } = t.kernel;
  await appendEvents(db, 7);
  const a = await db.transaction((tx) => createCheckpoint(tx, keys, { maxEvents: 3 }));
  const b = await db.transaction((tx) => createCheckpoint(tx, keys, { maxEvents: 3 }));
  const c = await db.transaction((tx) => createCheckpoint(tx, keys, { maxEvents: 3 }));
  assert.deepEqual(
    [a, b, c].map((x) => [x?.fromSeq, x?.toSeq]),
    [
      [1, 3],
      [4, 6],
      [7, 7],
    ],
  );
  assert.equal((await verifyAudit(db, { pageSize: 2 })).ok, true);
});

test('concurrent checkpoint runs never overlap', async () => {
  const { db, keys } = t.kernel;
  await appendEvents(db, 6);
  const made = await Promise.all([1, 2, 3].map(() => db.transaction((tx) => createCheckpoint(tx, keys))));
  const ranges = made.filter((x) => x !== null).map((x) => [x.fromSeq, x.toSeq]);
  assert.deepEqual(ranges, [[1, 6]]);
});

test('the audit.checkpoint job is registered with a 5-minute default schedule and signs in city scope', async () => {
  const { db } = t.kernel;
  const [row] = await db.query<{ cron: string; enabled: boolean }>("select cron, enabled from job_schedule where name = 'audit.checkpoint'");
  assert.deepEqual(row, { cron: '*/5 * * * *', enabled: true });

  await appendEvents(db, 4);
  const runJob = async () => {
    const id = await db.transaction((tx) => enqueueJob(tx, 'audit.checkpoint'));
    await runPendingJobs(t.kernel);
    const r = (
      await db.query<{ status: string; result: Record<string, unknown>; error: string | null }>('select status, result, error from job_run where id = $1', [id])
    )[0]!;
    assert.equal(r.status, 'succeeded', String(r.error));
    return r.result;
  };
  const first = await runJob();
  assert.equal(first.created, true);
  assert.deepEqual([first.fromSeq, first.toSeq, first.merkleRoot], [1, 4, merkleRoot(await hashes(1, 4))]);
  assert.deepEqual(await runJob(), { created: false }, 'idle: no checkpoint and no audit event of its own');
  assert.equal((await verifyAudit(db, { trustedPublicKeys: [t.kernel.keys.sm2PublicKey] })).ok, true);
});
