import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { sm2GenerateKeyPair, sm2Sign } from '../crypto/sm2.ts';
import { type TestApp, testApp } from '../../test/harness.ts';
import { checkpointMessage, createCheckpoint, keyIdOf } from './checkpoint.ts';
import { eventHash } from './hash.ts';
import { AUDIT_EVENT_COLUMNS, type AuditEventRow, chainedEventFromRow } from './row.ts';
import { appendEvents, resetAudit, tamper } from './test-helpers.ts';
import { verifyAudit } from './verify.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());
beforeEach(() => resetAudit(t.kernel.db));

const verify = () => verifyAudit(t.kernel.db, { trustedPublicKeys: [t.kernel.keys.sm2PublicKey], pageSize: 3 });
const checkpoint = () => t.kernel.db.transaction((tx) => createCheckpoint(tx, t.kernel.keys));

test("a changed `after` is found at that event's seq", async () => {
  await appendEvents(t.kernel.db, 10);
  await tamper(t.kernel.db, [{ sql: `update audit_event set after = '{"phone":"13900000000"}' where seq = 6` }]);
  const r = await verify();
  assert.equal(r.ok, false);
  assert.equal(r.checkedEvents, 10);
  assert.equal(r.firstBroken?.seq, 6);
  assert.match(r.firstBroken!.reason, /第 6 条事件内容被篡改/);
});

test('changing another stored field (actor) is found too, and a checkpoint does not mask it', async () => {
  await appendEvents(t.kernel.db, 8);
  await checkpoint();
  await tamper(t.kernel.db, [{ sql: `update audit_event set actor_username = 'someone_else' where seq = 3` }]);
  assert.deepEqual((await verify()).firstBroken?.seq, 3);
});

test('a deleted middle event is a gap at its seq', async () => {
  await appendEvents(t.kernel.db, 10);
  await checkpoint();
  await tamper(t.kernel.db, [{ sql: 'delete from audit_event where seq = 4' }]);
  const r = await verify();
  assert.equal(r.firstBroken?.seq, 4);
  assert.match(r.firstBroken!.reason, /第 4 条事件缺失/);
});

test('deleted last events with a fixed-up head: invisible to the chain alone, caught by the checkpoint', async () => {
  await appendEvents(t.kernel.db, 10);
  const cutTail = async () => {
    const h8 = (await t.kernel.db.query<{ hash: string }>('select hash from audit_event where seq = 8'))[0]!;
    await tamper(t.kernel.db, [{ sql: 'delete from audit_event where seq > 8' }, { sql: 'update audit_head set seq = 8, hash = $1', params: [h8.hash] }]);
  };
  await cutTail();
  assert.equal((await verify()).ok, true, 'without a checkpoint a clean cut is undetectable — that is why checkpoints exist');

  await resetAudit(t.kernel.db);
  await appendEvents(t.kernel.db, 10);
  await checkpoint();
  await cutTail();
  const r = await verify();
  assert.equal(r.firstBroken?.seq, 9);
  assert.match(r.firstBroken!.reason, /检查点已签署至第 10 条.*尾部事件被删除/);
});

test('deleted last events without fixing the head are caught by the head row', async () => {
  await appendEvents(t.kernel.db, 6);
  await tamper(t.kernel.db, [{ sql: 'delete from audit_event where seq > 4' }]);
  const r = await verify();
  assert.equal(r.firstBroken?.seq, 5);
  assert.match(r.firstBroken!.reason, /第 5–6 条事件缺失/);
});

test('a head row pointing at another hash is reported', async () => {
  await appendEvents(t.kernel.db, 3);
  await t.kernel.db.query(`update audit_head set hash = repeat('a', 64)`);
  const r = await verify();
  assert.equal(r.firstBroken?.seq, 3);
  assert.match(r.firstBroken!.reason, /链头记录的哈希/);
});

test('a deleted head row is reported, not a crash', async () => {
  await appendEvents(t.kernel.db, 3);
  const [h] = await t.kernel.db.query<{ seq: number; hash: string }>('select seq, hash from audit_head');
  await tamper(t.kernel.db, [{ sql: 'delete from audit_head' }]);
  try {
    const r = await verify();
    assert.equal(r.ok, false);
    assert.equal(r.firstBroken?.seq, 1, r.firstBroken?.reason);
    assert.match(r.firstBroken!.reason, /链头记录（audit_head）缺失/);
  } finally {
    await tamper(t.kernel.db, [{ sql: 'insert into audit_head (id, seq, hash) values (1, $1, $2)', params: [h!.seq, h!.hash] }]);
  }
});

test('a rewritten chain (every hash recomputed, head fixed) is caught by the checkpoint Merkle root', async () => {
  const { db } = t.kernel;
  await appendEvents(db, 5);
  await checkpoint();
  await appendEvents(db, 5, undefined, 6);
  await checkpoint();
  // The attacker changes event 7 and recomputes every hash from there on.
  await tamper(db, [{ sql: `update audit_event set after = '"已修改"' where seq = 7` }]);
  const rows = await db.query<AuditEventRow>(`select ${AUDIT_EVENT_COLUMNS} from audit_event where seq >= 7 order by seq`);
  const p = (await db.query<{ hash: string }>('select hash from audit_event where seq = 6'))[0]!;
  let prev = p.hash;
  const fixes: { sql: string; params: unknown[] }[] = [];
  for (const r of rows) {
    const h = eventHash(prev, chainedEventFromRow({ ...r, prev_hash: prev }));
    fixes.push({ sql: 'update audit_event set prev_hash = $1, hash = $2 where seq = $3', params: [prev, h, r.seq] });
    prev = h;
  }
  fixes.push({ sql: 'update audit_head set hash = $1', params: [prev] });
  await tamper(db, fixes);
  const r = await verify();
  assert.equal(r.firstBroken?.seq, 6, 'reported at the start of the second checkpoint');
  assert.match(r.firstBroken!.reason, /检查点 #\d+（第 6–10 条）的 Merkle 根与事件不符/);
});

test('a forged checkpoint signature is reported at the checkpoint', async () => {
  const { db, keys } = t.kernel;
  await appendEvents(db, 4);
  const cp = await checkpoint();
  // A valid signature, but over another range.
  const other = keys.sm2Sign(checkpointMessage(1, 3, cp!.merkleRoot, cp!.headHash));
  await tamper(db, [{ sql: 'update audit_checkpoint set signature = $1', params: [other] }]);
  const r = await verify();
  assert.equal(r.checkedCheckpoints, 1);
  assert.equal(r.firstBroken?.seq, 1);
  assert.match(r.firstBroken!.reason, /SM2 签名无效/);
});

test("a checkpoint re-signed with the attacker's own key is refused by key, and by signature when the key id lies", async () => {
  const { db } = t.kernel;
  await appendEvents(db, 4);
  const cp = await checkpoint();
  const evil = sm2GenerateKeyPair();
  const sig = sm2Sign(checkpointMessage(cp!.fromSeq, cp!.toSeq, cp!.merkleRoot, cp!.headHash), evil.privateKey);
  await tamper(db, [
    { sql: 'update audit_checkpoint set public_key = $1, key_id = $2, signature = $3', params: [evil.publicKey, keyIdOf(evil.publicKey), sig] },
  ]);
  assert.match((await verify()).firstBroken!.reason, /不是本系统的审计签名密钥/);
  // Self-consistent otherwise: without a trusted key list it would pass.
  assert.equal((await verifyAudit(db)).ok, true);
  await tamper(db, [{ sql: 'update audit_checkpoint set key_id = $1', params: [keyIdOf(t.kernel.keys.sm2PublicKey)] }]);
  assert.match((await verify()).firstBroken!.reason, /密钥编号与公钥不符/);
});

test('a deleted checkpoint between others leaves an uncovered range', async () => {
  await appendEvents(t.kernel.db, 3);
  await checkpoint();
  await appendEvents(t.kernel.db, 3, undefined, 4);
  const mid = await checkpoint();
  await appendEvents(t.kernel.db, 3, undefined, 7);
  await checkpoint();
  await tamper(t.kernel.db, [{ sql: 'delete from audit_checkpoint where id = $1', params: [mid!.id] }]);
  const r = await verify();
  assert.equal(r.firstBroken?.seq, 4);
  assert.match(r.firstBroken!.reason, /第 4–6 条事件不在任何检查点内/);
});

test('an event inserted above the head row is reported', async () => {
  await appendEvents(t.kernel.db, 3);
  await t.kernel.db.query(
    `insert into audit_event (seq, ts, actor_username, actor_role, scope, kind, action, object_type, prev_hash, hash)
     select 5, now(), 'x', 'x', 'x', 'write', 'x', 'x', hash, hash from audit_head`,
  );
  const r = await verify();
  assert.equal(r.firstBroken?.seq, 5);
  assert.match(r.firstBroken!.reason, /在链头记录之外/);
});
