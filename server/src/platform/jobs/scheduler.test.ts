import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, test } from 'node:test';
import { allModules } from '../../modules.ts';
import { type TestApp, testApp } from '../../test/harness.ts';
import { AppError } from '../http/errors.ts';
import { enqueueJob } from './enqueue.ts';
import { claimNextRun, enqueueDueSchedules, requeueStaleRuns } from './queue.ts';
import { ensureSchedules } from './registry.ts';
import { runPendingJobs, startScheduler } from './scheduler.ts';
import { calls, jobsTestModule } from './test-module.ts';

let t: TestApp;
before(async () => {
  t = await testApp({ modules: [...allModules, jobsTestModule] });
});
after(() => t.close());
beforeEach(async () => {
  calls.length = 0;
  // Nothing due from earlier tests: every schedule far in the future, no queued runs.
  await t.kernel.db.query(`update job_schedule set next_run_at = now() + interval '1 day' where next_run_at is not null`);
  await t.kernel.db.query(`update job_run set status = 'cancelled' where status in ('queued', 'retrying', 'running')`);
});

const run = async (id: number) => {
  const r = (await t.kernel.db.query<Record<string, unknown>>('select * from job_run where id = $1', [id]))[0]!;
  return r;
};
const logs = async (id: number) =>
  (await t.kernel.db.query<{ message: string }>('select message from job_log where run_id = $1 order by id', [id])).map((l) => l.message);

test('schedules are seeded for every job type, idempotently, keeping an administrator’s edits', async () => {
  const { db } = t.kernel;
  const rows = await db.query<{ name: string; cron: string | null; enabled: boolean; max_attempts: number }>(
    'select name, cron, enabled, max_attempts from job_schedule order by name',
  );
  const by = new Map(rows.map((r) => [r.name, r]));
  assert.deepEqual(by.get('platform.sample-report'), { name: 'platform.sample-report', cron: '0 2 * * *', enabled: true, max_attempts: 1 });
  assert.deepEqual(by.get('test.always-fails'), { name: 'test.always-fails', cron: null, enabled: false, max_attempts: 3 });
  assert.equal(by.get('test.writes')?.enabled, false, 'defaultEnabled defaults to false');
  assert.ok(by.has('audit.checkpoint') && by.has('platform.purge-nonces'));

  await db.query(`update job_schedule set cron = '15 3 * * *', enabled = false, title = '旧标题', max_attempts = 9 where name = 'platform.sample-report'`);
  assert.equal(await ensureSchedules(db, t.kernel), 0);
  const [s] = await db.query<{ cron: string; enabled: boolean; title: string; max_attempts: number }>(
    `select cron, enabled, title, max_attempts from job_schedule where name = 'platform.sample-report'`,
  );
  assert.deepEqual(s, { cron: '15 3 * * *', enabled: false, title: '数据统计示例任务', max_attempts: 1 });
  await db.query(`update job_schedule set cron = '0 2 * * *', enabled = true where name = 'platform.sample-report'`);
});

test('purge-nonces deletes nonces older than a day only', async () => {
  const { db } = t.kernel;
  await db.query(`insert into api_nonce (client_id, nonce, seen_at) values ('c', 'old', now() - interval '25 hours'), ('c', 'new', now() - interval '1 hour')`);
  const id = await db.transaction((tx) => enqueueJob(tx, 'platform.purge-nonces'));
  await runPendingJobs(t.kernel);
  assert.deepEqual((await run(id))!.result, { deleted: 1 });
  assert.deepEqual(await db.query('select nonce from api_nonce'), [{ nonce: 'new' }]);
});

test('a queued sample report runs to success with logs, progress and counts', async () => {
  const id = await t.kernel.db.transaction((tx) => enqueueJob(tx, 'platform.sample-report', { stepDelayMs: 0 }, 'manual', 'tester'));
  assert.equal(await runPendingJobs(t.kernel), 1);
  const r = await run(id);
  assert.equal(r.status, 'succeeded');
  assert.equal(r.progress_done, 10);
  assert.equal(r.progress_total, 10);
  const result = r.result as { counts: Record<string, number | null>; total: number };
  assert.ok((result.counts.app_user ?? -1) >= 0);
  assert.ok(result.counts.job_run! >= 1);
  const lines = await logs(id);
  assert.equal(lines[0], '开始执行');
  assert.ok(lines.some((l) => /^用户（app_user）：\d+ 行$/.test(l)));
  assert.match(lines.at(-1)!, /^执行成功/);
  assert.ok(r.started_at && r.finished_at);
});

test('a failing job retries with doubling backoff on the same run row, then fails', async () => {
  const { db } = t.kernel;
  const id = await db.transaction((tx) => enqueueJob(tx, 'test.always-fails', { x: 1 }, 'manual', 'tester'));
  assert.equal((await run(id))!.max_attempts, 3);

  const waitOf = async () => {
    const w = (await db.query<{ s: number }>('select extract(epoch from run_after - now())::float8 as s from job_run where id = $1', [id]))[0]!;
    return w.s;
  };
  assert.equal(await runPendingJobs(t.kernel), 1, 'the retry is not due yet');
  let r = await run(id);
  assert.deepEqual([r.status, r.attempt, r.error], ['retrying', 2, '故意失败 1']);
  assert.ok((await waitOf()) > 0.5 && (await waitOf()) <= 1.01, 'first retry after 1 s');

  await db.query('update job_run set run_after = now() where id = $1', [id]);
  assert.equal(await runPendingJobs(t.kernel), 1);
  r = await run(id);
  assert.deepEqual([r.status, r.attempt], ['retrying', 3]);
  assert.ok((await waitOf()) > 1.5 && (await waitOf()) <= 2.01, 'second retry after 2 s');

  await db.query('update job_run set run_after = now() where id = $1', [id]);
  await runPendingJobs(t.kernel);
  r = await run(id);
  assert.deepEqual([r.status, r.attempt, r.error], ['failed', 3, '故意失败 3']);
  assert.ok(r.finished_at);
  assert.deepEqual(
    calls.map((c) => c.attempt),
    [1, 2, 3],
  );
  assert.deepEqual(calls[0]!.payload, { x: 1 });
  const lines = await logs(id);
  assert.ok(lines.includes('第 1 次执行失败：故意失败 1；1 秒后进行第 2 次尝试'));
  assert.ok(lines.includes('第 2 次执行失败：故意失败 2；2 秒后进行第 3 次尝试'));
  assert.equal(lines.at(-1), '执行失败（已尝试 3 次）：故意失败 3');
});

test('a retry that succeeds ends as succeeded', async () => {
  const id = await t.kernel.db.transaction((tx) => enqueueJob(tx, 'test.fails-once'));
  assert.equal(await runPendingJobs(t.kernel), 2, 'backoff 0: the retry is due at once');
  const r = await run(id);
  assert.deepEqual([r.status, r.attempt, r.error], ['succeeded', 2, null]);
});

test('a job transaction runs in city scope as the system and appends its audit events; logs inside it are kept', async () => {
  const id = await t.kernel.db.transaction((tx) => enqueueJob(tx, 'test.writes'));
  await runPendingJobs(t.kernel);
  const r = await run(id);
  assert.equal(r.status, 'succeeded', String(r.error));
  assert.deepEqual(r.result, { level: 'city' });
  assert.deepEqual([r.progress_done, r.progress_total], [1, 2]);
  assert.ok((await logs(id)).includes('在事务中写入'));
  const [e] = await t.kernel.db.query<{ actor_username: string; request_id: string }>(
    `select actor_username, request_id from audit_event where action = 'test.job-write'`,
  );
  assert.deepEqual(e, { actor_username: 'system', request_id: `job-run:${id}` });
});

test('a due schedule is enqueued exactly once even when two ticks race, and its next run moves on', async () => {
  const { db } = t.kernel;
  await db.query(`update job_schedule set enabled = true, cron = '*/5 * * * *', next_run_at = now() - interval '1 minute' where name = 'test.writes'`);
  const counts = await Promise.all([enqueueDueSchedules(t.kernel), enqueueDueSchedules(t.kernel), enqueueDueSchedules(t.kernel)]);
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    1,
  );
  const runs = await db.query<{ trigger: string; requested_by: string }>(
    `select trigger, requested_by from job_run where job = 'test.writes' and status = 'queued'`,
  );
  assert.deepEqual(runs, [{ trigger: 'schedule', requested_by: 'system' }]);
  const s = (await db.query<{ future: boolean }>(`select next_run_at > now() as future from job_schedule where name = 'test.writes'`))[0]!;
  assert.equal(s.future, true);
  assert.equal(await enqueueDueSchedules(t.kernel), 0);
  // Disabled schedules are never enqueued.
  await db.query(`update job_schedule set enabled = false, next_run_at = now() - interval '1 minute' where name = 'test.writes'`);
  assert.equal(await enqueueDueSchedules(t.kernel), 0);
});

test('a run is claimed by one worker only', async () => {
  const id = await t.kernel.db.transaction((tx) => enqueueJob(tx, 'test.fails-once'));
  const claims = await Promise.all([claimNextRun(t.kernel.db), claimNextRun(t.kernel.db)]);
  assert.deepEqual(
    claims.filter(Boolean).map((c) => c!.id),
    [id],
  );
  await t.kernel.db.query(`update job_run set status = 'cancelled' where id = $1`, [id]);
});

test('enqueueJob is atomic with the caller’s transaction and refuses unknown jobs', async () => {
  const { db } = t.kernel;
  const { n: before } = (await db.query<{ n: number }>('select count(*)::int as n from job_run'))[0]!;
  await assert.rejects(
    db.transaction(async (tx) => {
      await enqueueJob(tx, 'test.writes');
      throw new Error('rolled back');
    }),
    /rolled back/,
  );
  const { n: afterRollback } = (await db.query<{ n: number }>('select count(*)::int as n from job_run'))[0]!;
  assert.equal(afterRollback, before);
  await assert.rejects(
    db.transaction((tx) => enqueueJob(tx, 'no.such-job')),
    (e) => e instanceof AppError && e.status === 404,
  );
});

test('runs left running by a dead process are re-queued', async () => {
  const { db } = t.kernel;
  const id = await db.transaction((tx) => enqueueJob(tx, 'test.fails-once'));
  await db.query(
    `update job_run set status = 'running', started_at = now() - interval '10 minutes', heartbeat_at = now() - interval '6 minutes' where id = $1`,
    [id],
  );
  assert.deepEqual(await requeueStaleRuns(db, 5, [id]), [], 'a run this process executes is left alone');
  assert.deepEqual(await requeueStaleRuns(db, 5), [id]);
  assert.equal((await run(id))!.status, 'queued');
  assert.match((await logs(id)).at(-1)!, /重新排队/);
  await db.query(`update job_run set status = 'cancelled' where id = $1`, [id]);
});

test('the scheduler loop picks up a woken run and stops cleanly', async () => {
  const s = startScheduler(t.kernel, { tickMs: 50 });
  try {
    const id = await t.kernel.db.transaction((tx) => enqueueJob(tx, 'platform.sample-report', { stepDelayMs: 0 }));
    s.wake();
    for (let i = 0; i < 200 && (await run(id))!.status !== 'succeeded'; i++) await sleep(25);
    assert.equal((await run(id))!.status, 'succeeded');
    assert.equal(t.kernel.services.jobs, s);
  } finally {
    await s.stop();
  }
  assert.equal(t.kernel.services.jobs, undefined);
});

test('with schedules off (WEIJIAN_JOB_SCHEDULES=false) a due schedule is not enqueued, a run started by hand still runs', async () => {
  const { db } = t.kernel;
  await db.query(`update job_schedule set enabled = true, cron = '*/5 * * * *', next_run_at = now() - interval '1 minute' where name = 'test.writes'`);
  const scheduled = async () =>
    (await db.query<{ n: number }>(`select count(*)::int as n from job_run where job = 'test.writes' and trigger = 'schedule'`))[0]!.n;
  const before = await scheduled();
  const s = startScheduler(t.kernel, { tickMs: 50, schedules: false });
  try {
    const id = await db.transaction((tx) => enqueueJob(tx, 'platform.sample-report', { stepDelayMs: 0 }));
    s.wake();
    for (let i = 0; i < 200 && (await run(id))!.status !== 'succeeded'; i++) await sleep(25);
    assert.equal((await run(id))!.status, 'succeeded');
    await sleep(200); // a few more ticks
    assert.equal(await scheduled(), before, 'the due schedule was not enqueued');
  } finally {
    await s.stop();
    await db.query(`update job_schedule set enabled = false where name = 'test.writes'`);
  }
});
