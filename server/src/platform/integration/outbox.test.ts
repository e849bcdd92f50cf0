import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';
import { scopeSettings } from '../scope/scope.ts';
import { enqueueMessage } from './outbox.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());

const count = async (system: string) => {
  const r = (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from outbox_message where system = $1', [system]))[0]!;
  return r.n;
};

test('a message queued in a transaction that rolls back does not exist', async () => {
  await assert.rejects(
    t.kernel.db.transaction(async (tx) => {
      const { id } = await enqueueMessage(tx, { system: 'ob-test', topic: 't', key: 'rolled-back', payload: { a: 1 } });
      assert.ok(id > 0);
      throw new Error('业务写入失败');
    }),
    /业务写入失败/,
  );
  assert.equal(await count('ob-test'), 0);
});

test('a committed message is pending and due at once, with its payload', async () => {
  const { id, created } = await t.kernel.db.transaction((tx) =>
    enqueueMessage(tx, { system: 'ob-test', topic: 'subsidy.application', key: 'app:1:v1', payload: { name: '张三', n: 1 }, districtCode: '310104' }),
  );
  assert.equal(created, true);
  const m = (await t.kernel.db.query<Record<string, unknown>>('select *, next_attempt_at <= now() as due from outbox_message where id = $1', [id]))[0]!;
  assert.deepEqual(
    [m.status, m.attempts, m.topic, m.idempotency_key, m.payload, m.district_code, m.due],
    ['pending', 0, 'subsidy.application', 'app:1:v1', { name: '张三', n: 1 }, '310104', true],
  );
});

test('the same key for the same system adds nothing and returns the first id; another system is another message', async () => {
  const db = t.kernel.db;
  const first = await db.transaction((tx) => enqueueMessage(tx, { system: 'ob-dup', topic: 't', key: 'same', payload: { v: 1 } }));
  const again = await db.transaction((tx) => enqueueMessage(tx, { system: 'ob-dup', topic: 't', key: 'same', payload: { v: 2 } }));
  assert.deepEqual(again, { id: first.id, created: false });
  const inOneTx = await db.transaction(async (tx) => [
    await enqueueMessage(tx, { system: 'ob-dup', topic: 't', key: 'twice', payload: {} }),
    await enqueueMessage(tx, { system: 'ob-dup', topic: 't', key: 'twice', payload: {} }),
  ]);
  assert.equal(inOneTx[0]!.id, inOneTx[1]!.id);
  assert.equal(await count('ob-dup'), 2);
  const other = await db.transaction((tx) => enqueueMessage(tx, { system: 'ob-dup-2', topic: 't', key: 'same', payload: {} }));
  assert.notEqual(other.id, first.id);
  const p = (await db.query<{ payload: unknown }>('select payload from outbox_message where id = $1', [first.id]))[0]!;
  assert.deepEqual(p.payload, { v: 1 }, 'the first payload stays');
});

test('any scope may queue (row-level security applies to reading, not to queuing)', async () => {
  const street = scopeSettings({ level: 'street', districtCode: '310104', streetCode: '310104001' }, null);
  const r = await t.kernel.db.transaction((tx) => enqueueMessage(tx, { system: 'ob-scope', topic: 't', key: 'k1', payload: {}, districtCode: '310101' }), {
    scope: street,
  });
  assert.equal(r.created, true);
  const again = await t.kernel.db.transaction((tx) => enqueueMessage(tx, { system: 'ob-scope', topic: 't', key: 'k1', payload: {} }), { scope: street });
  assert.deepEqual(again, { id: r.id, created: false }, 'the duplicate is found although the caller cannot read it');
  const seen = await t.kernel.db.transaction((tx) => tx.query('select id from outbox_message where system = $1', ['ob-scope']), { scope: street });
  assert.equal(seen.length, 0);
  const district = scopeSettings({ level: 'district', districtCode: '310101' }, null);
  assert.equal(
    (await t.kernel.db.transaction((tx) => tx.query('select id from outbox_message where system = $1', ['ob-scope']), { scope: district })).length,
    1,
  );
});

test('bad input is a programming error, refused before anything is written', async () => {
  const bad = [
    { system: 'Not A Name', topic: 't', key: 'k', payload: {} },
    { system: 'ob-bad', topic: '', key: 'k', payload: {} },
    { system: 'ob-bad', topic: 't', key: '中文键', payload: {} },
    { system: 'ob-bad', topic: 't', key: 'k', payload: [] as unknown as Record<string, unknown> },
  ];
  for (const b of bad)
    await assert.rejects(
      t.kernel.db.transaction((tx) => enqueueMessage(tx, b)),
      /outbox:/,
    );
  assert.equal(await count('ob-bad'), 0);
});
