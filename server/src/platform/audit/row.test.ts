import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventHash, GENESIS_HASH } from './hash.ts';
import { type AuditEventRow, chainedEventFromRow, storedJson } from './row.ts';

const base: AuditEventRow = {
  seq: 7,
  ts: new Date('2026-03-01T02:03:04.567Z'),
  actor_id: 12,
  actor_username: 'zhang',
  actor_role: 'city_admin',
  scope: '全市',
  district_code: null,
  kind: 'write',
  action: 'resident.update',
  object_type: 'person',
  object_id: '42',
  before: '{"b": 1, "a": [1, 2.5, null]}',
  after: '"仅文本"',
  note: null,
  ip: '127.0.0.1',
  request_id: 'r1',
  prev_hash: GENESIS_HASH,
  hash: '',
};

test('the pg/PGlite shape (Date, numbers) and a text shape rebuild the same event', () => {
  const a = chainedEventFromRow(base);
  const b = chainedEventFromRow({ ...base, seq: '7', actor_id: '12', ts: '2026-03-01 10:03:04.567+08' });
  assert.deepEqual(a, b);
  assert.equal(a.ts, '2026-03-01T02:03:04.567Z');
  assert.deepEqual(a.before, { a: [1, 2.5, null], b: 1 });
  assert.equal(a.after, '仅文本');
  assert.equal(eventHash(GENESIS_HASH, a), eventHash(GENESIS_HASH, b));
});

test('storedJson is the value jsonb hands back', () => {
  assert.equal(storedJson(undefined), null);
  assert.equal(storedJson(null), null);
  assert.equal(
    storedJson(() => 1),
    null,
  );
  assert.deepEqual(storedJson({ d: new Date('2026-01-01T00:00:00Z'), u: undefined, n: 1.0 }), { d: '2026-01-01T00:00:00.000Z', n: 1 });
  assert.deepEqual(storedJson(Buffer.from('ab')), { type: 'Buffer', data: [97, 98] });
  assert.deepEqual(storedJson([undefined, 1]), [null, 1]);
});
