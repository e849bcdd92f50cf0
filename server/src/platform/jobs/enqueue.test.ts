import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../test/harness.ts';
import { enqueueJobOnce } from './enqueue.ts';

let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
});
after(() => t.close());

const pendingRuns = async (job: string) =>
  (await t.kernel.db.query<{ id: number }>("select id from job_run where job = $1 and status in ('queued', 'running', 'retrying') order by id", [job])).map(
    (r) => Number(r.id),
  );

test('run-now twice with the same parameters queues one run; the second answer names it', async () => {
  const url = '/api/v1/jobs/schedules/platform.sample-report/run';
  const first = await t.call(admin, { method: 'POST', url, payload: { payload: { stepDelayMs: 0, tag: 'a' } } });
  assert.equal(first.statusCode, 201, first.body);
  assert.equal(first.json().existing, false);
  // Same parameters in another key order: still the same job.
  const again = await t.call(admin, { method: 'POST', url, payload: { payload: { tag: 'a', stepDelayMs: 0 } } });
  assert.equal(again.statusCode, 201, again.body);
  assert.deepEqual(again.json(), { runId: first.json().runId, existing: true });
  // Other parameters are another run.
  const other = await t.call(admin, { method: 'POST', url, payload: { payload: { stepDelayMs: 0, tag: 'b' } } });
  assert.notEqual(other.json().runId, first.json().runId);
  assert.deepEqual(await pendingRuns('platform.sample-report'), [first.json().runId, other.json().runId]);
  const notes = await t.kernel.db.query<{ note: string | null }>("select note from audit_event where action = 'job.run' and object_id = $1 order by seq", [
    String(first.json().runId),
  ]);
  assert.equal(notes.length, 2);
  assert.match(notes[1]!.note ?? '', /未重复排队/);
});

test('once the pending run has finished, the same parameters queue a new run', async () => {
  const a = await t.kernel.db.transaction((tx) => enqueueJobOnce(tx, 'platform.purge-nonces', { k: 1 }, 'manual', 'tester'));
  const b = await t.kernel.db.transaction((tx) => enqueueJobOnce(tx, 'platform.purge-nonces', { k: 1 }, 'manual', 'tester'));
  assert.deepEqual([a.existing, b.existing, b.runId], [false, true, a.runId]);
  await t.kernel.db.query("update job_run set status = 'running' where id = $1", [a.runId]);
  assert.equal((await t.kernel.db.transaction((tx) => enqueueJobOnce(tx, 'platform.purge-nonces', { k: 1 }))).runId, a.runId, 'running counts as pending');
  // A run whose worker died is claimed again: it is still pending.
  await t.kernel.db.query("update job_run set status = 'interrupted' where id = $1", [a.runId]);
  assert.equal((await t.kernel.db.transaction((tx) => enqueueJobOnce(tx, 'platform.purge-nonces', { k: 1 }))).runId, a.runId, 'interrupted counts as pending');
  await t.kernel.db.query("update job_run set status = 'succeeded' where id = $1", [a.runId]);
  const c = await t.kernel.db.transaction((tx) => enqueueJobOnce(tx, 'platform.purge-nonces', { k: 1 }));
  assert.equal(c.existing, false);
  assert.notEqual(c.runId, a.runId);
});

test('two concurrent callers agree on one run', async () => {
  const results = await Promise.all([1, 2, 3].map(() => t.kernel.db.transaction((tx) => enqueueJobOnce(tx, 'platform.purge-nonces', { k: 'concurrent' }))));
  assert.equal(new Set(results.map((r) => r.runId)).size, 1);
  assert.equal(results.filter((r) => !r.existing).length, 1);
});

test('who asked is not a parameter: a second administrator finds the first one’s pending run', async () => {
  const a = await t.kernel.db.transaction((tx) =>
    enqueueJobOnce(tx, 'platform.purge-nonces', { date: '2026-03-01', requestedBy: 'admin_a' }, 'manual', 'admin_a'),
  );
  const b = await t.kernel.db.transaction((tx) =>
    enqueueJobOnce(tx, 'platform.purge-nonces', { requestedBy: 'admin_b', date: '2026-03-01' }, 'manual', 'admin_b'),
  );
  assert.deepEqual([a.existing, b.existing, b.runId], [false, true, a.runId]);
  const other = await t.kernel.db.transaction((tx) =>
    enqueueJobOnce(tx, 'platform.purge-nonces', { date: '2026-03-02', requestedBy: 'admin_a' }, 'manual', 'admin_a'),
  );
  assert.equal(other.existing, false, 'another date is another run');
});
