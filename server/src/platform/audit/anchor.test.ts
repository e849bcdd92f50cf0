import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';
import { loadConfig } from '../config.ts';
import { dispatchPending } from '../integration/dispatcher.ts';
import { enqueueJob } from '../jobs/enqueue.ts';
import { runPendingJobs } from '../jobs/scheduler.ts';
import { auditWitnessSimulator } from '../integration/simulators/systems/audit-witness.ts';
import { startSimulator } from '../integration/simulators/simulator.ts';
import { anchorCheckpoints, anchorPath, checkAnchorLocation, configuredAnchors, exportAnchors, readAnchors } from './anchor.ts';
import { createCheckpoint, keyIdOf } from './checkpoint.ts';
import { auditCommands, EXIT_BROKEN } from './cli.ts';
import { appendEvents, resetAudit, tamper } from './test-helpers.ts';
import { verifyAudit } from './verify.ts';
import { AUDIT_WITNESS } from './witness.ts';

const dir = mkdtempSync(join(tmpdir(), 'wj-anchor-'));
const file = join(dir, 'audit-anchors', 'data.jsonl');
let t: TestApp;
before(async () => {
  t = await testApp({ config: { auditAnchorFile: file } });
});
after(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await resetAudit(t.kernel.db);
  rmSync(file, { force: true });
});

/** A checkpoint as the job makes it: sign in one transaction, then export after commit. */
async function checkpoint() {
  const cp = await t.kernel.db.transaction((tx) => createCheckpoint(tx, t.kernel.keys));
  await anchorCheckpoints(t.kernel);
  return cp;
}
const verify = () => verifyAudit(t.kernel.db, { trustedPublicKeys: [t.kernel.keys.sm2PublicKey], anchors: configuredAnchors(t.kernel) });

test('every checkpoint is exported to the anchor file as it is made', async () => {
  await appendEvents(t.kernel.db, 4);
  const a = await checkpoint();
  await appendEvents(t.kernel.db, 3, undefined, 5);
  const b = await checkpoint();
  const lines = readAnchors(file);
  const first = (await t.kernel.db.query<{ hash: string }>('select hash from audit_event where seq = 1'))[0]!;
  assert.deepEqual(
    lines.map((l) => [l.id, l.fromSeq, l.toSeq, l.merkleRoot, l.signature, l.chain]),
    [
      [a?.id, 1, 4, a?.merkleRoot, a?.signature, first.hash],
      [b?.id, 5, 7, b?.merkleRoot, b?.signature, first.hash],
    ],
  );
  const r = await verify();
  assert.deepEqual([r.ok, r.checkedCheckpoints, r.checkedAnchors], [true, 2, 2]);

  // The status screen shows the unanchored tail.
  await appendEvents(t.kernel.db, 2, undefined, 8);
  const s = await t.loginAs('auditor');
  const st = (await t.call(s, { url: '/api/v1/audit/status' })).json();
  assert.deepEqual(st.anchor, { file, lastId: b?.id, lastToSeq: 7, unanchored: 2 });
});

test('the API and the scheduled job export as they sign; the job catches up an unexported checkpoint; a failed export is a 503 after commit', async () => {
  const { db, keys, config } = t.kernel;
  const s = await t.loginAs('auditor');
  const post = () => t.call(s, { method: 'POST', url: '/api/v1/audit/checkpoints', headers: { 'x-csrf-token': s.csrf } });
  await appendEvents(db, 3);
  const res = await post();
  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual(
    readAnchors(file).map((a) => a.id),
    [res.json().id],
  );

  // Committed but never exported (the process died first): the next run exports it, though idle.
  await appendEvents(db, 2, undefined, 10);
  const missed = await db.transaction((tx) => createCheckpoint(tx, keys));
  const job = await db.transaction((tx) => enqueueJob(tx, 'audit.checkpoint'));
  await runPendingJobs(t.kernel);
  const run = (await db.query<{ status: string; result: unknown }>('select status, result from job_run where id = $1', [job]))[0]!;
  assert.deepEqual([run.status, run.result], ['succeeded', { created: false }]);
  assert.deepEqual(
    readAnchors(file).map((a) => a.id),
    [res.json().id, missed!.id],
  );

  // The file cannot be written (its folder is a file): the checkpoint stands, the caller is told.
  const before = (await db.query('select 1 from audit_checkpoint')).length;
  config.auditAnchorFile = join(file, 'unwritable.jsonl');
  try {
    const failed = await post();
    assert.equal(failed.statusCode, 503, failed.body);
    assert.equal(failed.json().code, 'ANCHOR_EXPORT_FAILED');
  } finally {
    config.auditAnchorFile = file;
  }
  assert.equal((await db.query('select 1 from audit_checkpoint')).length, before + 1);
});

test('the tail-and-checkpoint deletion attack: the database alone says intact, the anchors say broken', async () => {
  const { db } = t.kernel;
  await appendEvents(db, 5);
  await checkpoint();
  await appendEvents(db, 5, undefined, 6);
  const cut = await checkpoint();
  assert.ok(cut);
  const h5 = (await db.query<{ hash: string }>('select hash from audit_event where seq = 5'))[0]!;
  // The database owner removes events 6–10 and the checkpoint over them, and moves the head back to 5.
  await tamper(db, [
    { sql: 'delete from audit_event where seq > 5' },
    { sql: 'delete from audit_checkpoint where id = $1', params: [cut.id] },
    { sql: 'update audit_head set seq = 5, hash = $1 where id = 1', params: [h5.hash] },
  ]);
  const inside = await verifyAudit(db, { trustedPublicKeys: [t.kernel.keys.sm2PublicKey] });
  assert.equal(inside.ok, true, 'what the database holds is consistent on its own');

  const r = await verify();
  assert.equal(r.ok, false);
  assert.equal(r.firstBroken?.seq, 6);
  assert.match(r.firstBroken!.reason, new RegExp(`检查点 #${cut.id}（第 6–10 条）在数据库中已不存在（检查点被删除，数据库中的检查点只签署到第 5 条）`));

  // The CLI says so too, with the broken exit code.
  const lines: string[] = [];
  const code = await auditCommands.find((c) => c.name === 'audit verify')!.run([], t.kernel, (l) => lines.push(l));
  assert.equal(code, EXIT_BROKEN);
  assert.match(lines.join('\n'), /审计链被破坏：第 6 条/);
  assert.match(lines.join('\n'), /库外锚点 2 个/);
});

test('a rewritten checkpoint row no longer matches its anchor', async () => {
  const { db } = t.kernel;
  await appendEvents(db, 3);
  const cp = await checkpoint();
  await tamper(db, [{ sql: "update audit_checkpoint set created_at = created_at - interval '1 day', to_seq = 2 where id = $1", params: [cp!.id] }]);
  const r = await verify();
  assert.equal(r.ok, false);
  assert.ok(/与数据库中的检查点 #\d+ 不符/.test(r.firstBroken!.reason) || /签名无效/.test(r.firstBroken!.reason), r.firstBroken!.reason);
});

test('anchors of another chain (the whole log replaced) fail verification', async () => {
  const { db } = t.kernel;
  await appendEvents(db, 3);
  await checkpoint();
  // Everything is wiped and a fresh log begun, with no checkpoints: consistent inside the database.
  await resetAudit(db);
  await appendEvents(db, 2, undefined, 100);
  assert.equal((await verifyAudit(db)).ok, true);
  const r = await verify();
  assert.equal(r.ok, false);
  assert.match(r.firstBroken!.reason, /属于另一条审计链/);
});

test('export catches up after a crash, tolerates a torn last line and duplicate lines', async () => {
  const { db, keys } = t.kernel;
  await appendEvents(db, 2);
  // Committed but never exported (the process died before anchorCheckpoints).
  await db.transaction((tx) => createCheckpoint(tx, keys));
  appendFileSync(file, '{"v":1,"chain":"ab'); // a write cut short
  await appendEvents(db, 2, undefined, 3);
  await checkpoint();
  assert.deepEqual(
    readAnchors(file).map((a) => [a.fromSeq, a.toSeq]),
    [
      [1, 2],
      [3, 4],
    ],
  );
  // A second exporter racing the first writes the same lines again: accepted.
  appendFileSync(
    file,
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{"v":1,"chain":"') && l.endsWith('}'))
      .map((l) => `${l}\n`)
      .join(''),
  );
  assert.equal(await exportAnchors(db, file), 0, 'nothing new');
  assert.equal((await verify()).ok, true);
});

test('a duplicate anchor line with different content is reported', async () => {
  await appendEvents(t.kernel.db, 2);
  await checkpoint();
  const line = readFileSync(file, 'utf8').split('\n')[0]!;
  const forged = JSON.parse(line);
  forged.toSeq = 1;
  appendFileSync(file, `${JSON.stringify(forged)}\n`);
  const r = await verify();
  assert.equal(r.ok, false);
  assert.match(r.firstBroken!.reason, /出现两次且内容不同/);
});

test('POST /audit/checkpoints on a log with a gap answers 409 naming the break', async () => {
  const { db } = t.kernel;
  await appendEvents(db, 5);
  await tamper(db, [{ sql: 'delete from audit_event where seq = 3' }]);
  const s = await t.loginAs('auditor');
  const res = await t.call(s, { method: 'POST', url: '/api/v1/audit/checkpoints', headers: { 'x-csrf-token': s.csrf } });
  assert.equal(res.statusCode, 409, res.body);
  assert.match(res.json().message, /审计链缺少第 3 条事件/);
  assert.equal((await db.query('select 1 from audit_checkpoint')).length, 0, 'nothing signed over the hole');
  assert.equal(existsSync(file), false, 'nothing exported');
});

test('each checkpoint is pushed to the witness through the outbox, once per checkpoint', async () => {
  const { db } = t.kernel;
  const sim = await startSimulator(auditWitnessSimulator);
  process.env.WEIJIAN_AUDIT_WITNESS_URL = sim.url;
  try {
    await db.query('delete from outbox_attempt where message_id in (select id from outbox_message where system = $1)', [AUDIT_WITNESS]);
    await db.query('delete from outbox_message where system = $1', [AUDIT_WITNESS]);
    await appendEvents(db, 3);
    const cp = await checkpoint();
    const queued = await db.query<{ key: string; payload: Record<string, unknown> }>(
      'select idempotency_key as key, payload from outbox_message where system = $1',
      [AUDIT_WITNESS],
    );
    assert.equal(queued.length, 1);
    assert.match(queued[0]!.key, new RegExp(`^checkpoint:[0-9a-f]{16}:${cp!.id}$`));
    await dispatchPending(t.kernel, { systems: [AUDIT_WITNESS] });
    assert.equal(sim.received.length, 1);
    const got = sim.received[0]!.body as Record<string, unknown>;
    assert.deepEqual([got.id, got.fromSeq, got.toSeq, got.merkleRoot, got.signature], [cp!.id, 1, 3, cp!.merkleRoot, cp!.signature]);
  } finally {
    delete process.env.WEIJIAN_AUDIT_WITNESS_URL;
    await sim.stop();
  }
});

test('the anchor file lives outside the data directory', () => {
  const c = loadConfig({ WEIJIAN_DATA_DIR: '/srv/weijian/data' });
  assert.equal(c.auditAnchorFile, '/srv/weijian/audit-anchors/data-{key}.jsonl');
  // One file per audit signing key: a wiped development data/ (new key ring) starts a new file by itself.
  assert.equal(anchorPath({ config: c, keys: t.kernel.keys }), `/srv/weijian/audit-anchors/data-${keyIdOf(t.kernel.keys.sm2PublicKey)}.jsonl`);
  assert.equal(loadConfig({ WEIJIAN_DATA_DIR: '/srv/weijian/data', WEIJIAN_AUDIT_ANCHOR_FILE: 'off' }).auditAnchorFile, null);
  assert.throws(() => checkAnchorLocation('/srv/weijian/data/anchors.jsonl', '/srv/weijian/data'), /不能位于数据目录内/);
  assert.doesNotThrow(() => checkAnchorLocation('/srv/weijian/audit-anchors/data.jsonl', '/srv/weijian/data'));
});

test('WEIJIAN_AUDIT_WITNESS_URL=off: checkpoints are still made and anchored, nothing is queued for the witness', async () => {
  const { db, keys } = t.kernel;
  assert.equal(loadConfig({ WEIJIAN_AUDIT_WITNESS_URL: 'off' }).auditWitness, false);
  assert.equal(loadConfig({}).auditWitness, true);
  await db.query('delete from outbox_attempt where message_id in (select id from outbox_message where system = $1)', [AUDIT_WITNESS]);
  await db.query('delete from outbox_message where system = $1', [AUDIT_WITNESS]);
  await appendEvents(db, 2);
  const cp = await db.transaction((tx) => createCheckpoint(tx, keys, { witness: false }));
  assert.ok(cp);
  await anchorCheckpoints(t.kernel);
  assert.equal(readAnchors(file).length, 1);
  assert.equal((await db.query('select 1 from outbox_message where system = $1', [AUDIT_WITNESS])).length, 0);
});
