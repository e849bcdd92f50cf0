import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';
import { appendAudit } from './append.ts';
import { eventHash, GENESIS_HASH } from './hash.ts';
import { AUDIT_EVENT_COLUMNS, type AuditEventRow, chainedEventFromRow } from './row.ts';
import { appendEvents, resetAudit, sampleEvent, testActor } from './test-helpers.ts';
import { verifyAudit } from './verify.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());
beforeEach(() => resetAudit(t.kernel.db));

test('an empty log verifies', async () => {
  assert.deepEqual(await verifyAudit(t.kernel.db), { ok: true, checkedEvents: 0, checkedCheckpoints: 0, checkedAnchors: 0, firstBroken: null });
});

test('a freshly appended chain of awkward values verifies on this backend, also across pages', async () => {
  await appendEvents(t.kernel.db, 23);
  // Several events in one transaction share a timestamp and are chained in order.
  await t.kernel.db.transaction((tx) => appendAudit(tx, testActor, [sampleEvent(100), sampleEvent(101), sampleEvent(102)], { ip: null, requestId: null }));
  const r = await verifyAudit(t.kernel.db, { pageSize: 4 });
  assert.deepEqual(r, { ok: true, checkedEvents: 26, checkedCheckpoints: 0, checkedAnchors: 0, firstBroken: null });

  // Spelled out: each stored row rebuilds to the hashed object, and the links hold.
  const rows = await t.kernel.db.query<AuditEventRow>(`select ${AUDIT_EVENT_COLUMNS} from audit_event order by seq`);
  let prev = GENESIS_HASH;
  for (const row of rows) {
    assert.equal(row.prev_hash, prev);
    assert.equal(eventHash(prev, chainedEventFromRow(row)), row.hash, `seq ${row.seq} on ${t.kernel.db.kind}`);
    prev = row.hash;
  }
  const head = (await t.kernel.db.query<{ seq: number; hash: string }>('select seq, hash from audit_head'))[0]!;
  assert.deepEqual({ seq: Number(head.seq), hash: head.hash }, { seq: 26, hash: prev });
});

test('20 concurrent appending transactions keep one valid chain', async () => {
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      t.kernel.db.transaction(async (tx) => {
        await tx.query('select 1');
        await appendAudit(tx, testActor, [sampleEvent(i), sampleEvent(i + 50)], { ip: null, requestId: `c${i}` });
      }),
    ),
  );
  const r = await verifyAudit(t.kernel.db);
  assert.equal(r.ok, true, JSON.stringify(r.firstBroken));
  assert.equal(r.checkedEvents, 40);
});

test('the append-only trigger refuses a plain UPDATE or DELETE, even by the owner', async () => {
  await appendEvents(t.kernel.db, 2);
  await assert.rejects(t.kernel.db.query(`update audit_event set after = '{"x":1}' where seq = 1`), /append-only/);
  await assert.rejects(t.kernel.db.query('delete from audit_event where seq = 2'), /append-only/);
  assert.equal((await verifyAudit(t.kernel.db)).ok, true);
});
