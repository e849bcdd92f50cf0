import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { allModules } from '../../modules.ts';
import { type TestApp, testApp } from '../../test/harness.ts';
import { enqueueJob } from './enqueue.ts';
import { claimNextRun } from './queue.ts';
import { runPendingJobs } from './scheduler.ts';
import { jobsTestModule } from './test-module.ts';
import { beatWorker, interruptRunsOfGoneWorkers, isGone, MAX_INTERRUPTIONS, processExists, registerWorker, stopWorker, type WorkerIdentity } from './worker.ts';

let t: TestApp;
before(async () => {
  t = await testApp({ modules: [...allModules, jobsTestModule] });
});
after(() => t.close());

const status = async (id: number) =>
  (await t.kernel.db.query<{ status: string; interruptions: number }>('select status, interruptions from job_run where id = $1', [id]))[0];

/** A worker row as another process would have written it, with a run it is executing. */
async function foreignWorkerWithRun(w: { id: string; host: string; pid: number; beatSecondsAgo?: number }): Promise<number> {
  const { db } = t.kernel;
  await db.query(`insert into job_worker (id, host, pid, heartbeat_at) values ($1, $2, $3, now() - $4 * interval '1 second')`, [
    w.id,
    w.host,
    w.pid,
    w.beatSecondsAgo ?? 0,
  ]);
  const id = await db.transaction((tx) => enqueueJob(tx, 'test.writes'));
  const run = await claimNextRun(db, w.id);
  assert.equal(run?.id, id);
  return id;
}

test('processExists tells a live pid from a dead one', () => {
  assert.equal(processExists(process.pid), true);
  assert.equal(processExists(2 ** 22 + 12345), false);
});

test('who is gone: stopped, stale, a dead pid or this pid under an older identity on this host; embedded: every other worker', () => {
  const me = { id: 'h:100:new', host: 'h', pid: process.pid };
  const w = (o: Partial<{ id: string; host: string; pid: number; stale: boolean; stopped: boolean }>) => ({
    id: 'x',
    host: 'other',
    pid: 7,
    stale: false,
    stopped: false,
    ...o,
  });
  assert.equal(isGone(w({}), me, false), false, 'another host with a fresh heartbeat is alive');
  assert.equal(isGone(w({ stale: true }), me, false), true);
  assert.equal(isGone(w({ stopped: true }), me, false), true);
  assert.equal(isGone(w({ host: 'h', pid: 2 ** 22 + 12345 }), me, false), true, 'no such process here');
  assert.equal(isGone(w({ host: 'h', pid: process.ppid }), me, false), false, 'a live process here');
  assert.equal(isGone(w({ host: 'h', pid: process.pid }), me, false), true, 'this pid, older identity');
  assert.equal(isGone(w({ id: me.id, host: 'h', pid: process.pid, stale: true }), me, true), false, 'never myself');
  assert.equal(isGone(w({}), me, true), true, 'embedded database: only this process uses it');
});

test('runs of a worker that stopped are interrupted at once, claimed again, and finish', async () => {
  const me = await registerWorker(t.kernel.db);
  const id = await foreignWorkerWithRun({ id: 'elsewhere:1:stopped', host: 'elsewhere', pid: 1 });
  await stopWorker(t.kernel.db, 'elsewhere:1:stopped');
  assert.deepEqual(await interruptRunsOfGoneWorkers(t.kernel.db, me), [id]);
  assert.deepEqual(await status(id), { status: 'interrupted', interruptions: 1 });
  await runPendingJobs(t.kernel);
  assert.equal((await status(id))!.status, 'succeeded');
});

test('a worker with a fresh heartbeat keeps its runs (PostgreSQL); a stale one loses them', async (s) => {
  if (t.kernel.db.kind === 'pglite') {
    // Embedded: the database belongs to this process, so any other worker is gone however fresh its beat.
    const me = await registerWorker(t.kernel.db);
    const id = await foreignWorkerWithRun({ id: 'elsewhere:2:fresh', host: 'elsewhere', pid: 2 });
    assert.deepEqual(await interruptRunsOfGoneWorkers(t.kernel.db, me), [id]);
    await runPendingJobs(t.kernel);
    s.diagnostic('PGlite: every other worker is gone');
    return;
  }
  const me = await registerWorker(t.kernel.db);
  const fresh = await foreignWorkerWithRun({ id: 'elsewhere:2:fresh', host: 'elsewhere', pid: 2 });
  assert.deepEqual(await interruptRunsOfGoneWorkers(t.kernel.db, me), []);
  assert.equal((await status(fresh))!.status, 'running');
  await t.kernel.db.query(`update job_worker set heartbeat_at = now() - interval '1 hour' where id = 'elsewhere:2:fresh'`);
  assert.deepEqual(await interruptRunsOfGoneWorkers(t.kernel.db, me), [fresh]);
  await runPendingJobs(t.kernel);
});

test('a worker taken for gone while alive is alive again at its next beat: its later runs stay its own', async () => {
  const { db } = t.kernel;
  const me = await registerWorker(db);
  const late = await foreignWorkerWithRun({ id: 'elsewhere:3:late', host: 'elsewhere', pid: 3, beatSecondsAgo: 3600 });
  assert.deepEqual(await interruptRunsOfGoneWorkers(db, me), [late]);
  await runPendingJobs(t.kernel);
  await beatWorker(db, 'elsewhere:3:late');
  const w = (await db.query<{ stopped: boolean }>(`select stopped_at is not null as stopped from job_worker where id = 'elsewhere:3:late'`))[0]!;
  assert.equal(w.stopped, false);
  if (db.kind === 'pglite') return; // embedded: every other worker is gone however fresh its beat
  const id = await db.transaction((tx) => enqueueJob(tx, 'test.writes'));
  assert.equal((await claimNextRun(db, 'elsewhere:3:late'))?.id, id);
  assert.deepEqual(await interruptRunsOfGoneWorkers(db, me), []);
  assert.equal((await status(id))!.status, 'running');
  await db.query(`update job_worker set stopped_at = now() where id = 'elsewhere:3:late'`);
  await interruptRunsOfGoneWorkers(db, me);
  await runPendingJobs(t.kernel);
});

test('a dead process on this host is gone at once; so is an older identity of this very pid', async () => {
  const me: WorkerIdentity = await registerWorker(t.kernel.db);
  const dead = await foreignWorkerWithRun({ id: `${me.host}:dead`, host: me.host, pid: 2 ** 22 + 12345 });
  // A restarted container: same hostname, same pid, new identity.
  const reborn = await foreignWorkerWithRun({ id: `${me.host}:${me.pid}:older`, host: me.host, pid: me.pid });
  assert.deepEqual((await interruptRunsOfGoneWorkers(t.kernel.db, me)).sort(), [dead, reborn].sort());
  await runPendingJobs(t.kernel);
});

test('workers stopped over 30 days ago are deleted at the next registration; their runs stay', async () => {
  const { db } = t.kernel;
  await db.query(
    `insert into job_worker (id, host, pid, stopped_at) values ('old:1', 'old', 1, now() - interval '31 days'), ('old:2', 'old', 2, now() - interval '29 days')`,
  );
  const id = await db.transaction((tx) => enqueueJob(tx, 'test.writes'));
  await claimNextRun(db, 'old:1');
  await db.query(`update job_run set status = 'succeeded' where id = $1`, [id]);
  await registerWorker(db);
  const left = await db.query<{ id: string }>(`select id from job_worker where id like 'old:%' order by id`);
  assert.deepEqual(left, [{ id: 'old:2' }]);
  const [r] = await db.query<{ worker_id: string | null; status: string }>('select worker_id, status from job_run where id = $1', [id]);
  assert.deepEqual(r, { worker_id: null, status: 'succeeded' });
});

test(`a run interrupted more than ${MAX_INTERRUPTIONS} times fails instead of looping`, async () => {
  const me = await registerWorker(t.kernel.db);
  const { db } = t.kernel;
  const id = await db.transaction((tx) => enqueueJob(tx, 'test.writes'));
  for (let i = 1; i <= MAX_INTERRUPTIONS + 1; i++) {
    const w = `elsewhere:loop:${i}`;
    await db.query(`insert into job_worker (id, host, pid, stopped_at) values ($1, 'elsewhere', $2, now())`, [w, i]);
    assert.equal((await claimNextRun(db, w))?.id, id);
    const back = await interruptRunsOfGoneWorkers(db, me);
    assert.deepEqual(back, i <= MAX_INTERRUPTIONS ? [id] : []);
  }
  const [r] = await db.query<{ status: string; error: string; interruptions: number }>('select status, error, interruptions from job_run where id = $1', [id]);
  assert.deepEqual(r, { status: 'failed', error: `执行进程连续中断 ${MAX_INTERRUPTIONS + 1} 次，不再重试`, interruptions: MAX_INTERRUPTIONS + 1 });
});
