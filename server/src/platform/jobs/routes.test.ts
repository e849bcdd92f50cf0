import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../test/harness.ts';
import { runPendingJobs } from './scheduler.ts';

let t: TestApp;
let admin: TestSession;
let district: TestSession;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  district = await t.loginAs('district_admin', { level: 'district', districtCode: '310115' });
});
after(() => t.close());

test('the schedule list names each job, its module and its last run', async () => {
  const r = await t.call(admin, { url: '/api/v1/jobs/schedules' });
  assert.equal(r.statusCode, 200);
  const items = r.json().items as Record<string, unknown>[];
  const sample = items.find((i) => i.name === 'platform.sample-report');
  assert.ok(sample);
  assert.equal(sample.title, '数据统计示例任务');
  assert.equal(sample.module, 'platform.jobs');
  assert.equal(sample.moduleTitle, '任务调度');
  assert.equal(sample.cron, '0 2 * * *');
  assert.equal(sample.enabled, true);
  assert.ok(sample.nextRunAt);
  assert.equal(sample.lastRun, null);
  assert.ok(items.some((i) => i.name === 'audit.checkpoint' && i.module === 'platform.audit'));
});

test('PATCH with a bad cron is a 400 on the cron field', async () => {
  for (const cron of ['99 * * * *', '* * * *', 'every day']) {
    const r = await t.call(admin, { method: 'PATCH', url: '/api/v1/jobs/schedules/platform.sample-report', payload: { cron } });
    assert.equal(r.statusCode, 400, cron);
    assert.equal(r.json().details[0].field, 'cron');
    assert.match(r.json().details[0].message, /^cron 表达式无效/);
  }
  const extra = await t.call(admin, { method: 'PATCH', url: '/api/v1/jobs/schedules/platform.sample-report', payload: { cron: '0 3 * * *', title: 'x' } });
  assert.equal(extra.statusCode, 400);
});

test('PATCH changes cron and enabled, recomputes the next run and audits before/after', async () => {
  const url = '/api/v1/jobs/schedules/platform.sample-report';
  const r = await t.call(admin, { method: 'PATCH', url, payload: { cron: '30 3 * * *' } });
  assert.equal(r.statusCode, 200, r.body);
  const s = r.json();
  assert.equal(s.cron, '30 3 * * *');
  // 03:30 Shanghai = 19:30 UTC.
  assert.match(s.nextRunAt, /T19:30:00\.000Z$/);
  assert.equal(s.updatedBy, admin.username);

  const off = (await t.call(admin, { method: 'PATCH', url, payload: { enabled: false } })).json();
  assert.deepEqual([off.enabled, off.nextRunAt], [false, null]);

  const [e] = await t.kernel.db.query<{ before: unknown; after: unknown; actor_username: string }>(
    `select before, after, actor_username from audit_event where action = 'job.schedule.update' order by seq desc limit 1`,
  );
  assert.deepEqual(e, { before: { cron: '30 3 * * *', enabled: true }, after: { cron: '30 3 * * *', enabled: false }, actor_username: admin.username });

  const noCron = await t.call(admin, { method: 'PATCH', url, payload: { cron: null, enabled: true } });
  assert.equal(noCron.statusCode, 400);
  assert.equal(noCron.json().details[0].field, 'cron');
  assert.equal((await t.call(admin, { method: 'PATCH', url, payload: { cron: '0 2 * * *', enabled: true } })).statusCode, 200);
});

test('unknown job names are 404', async () => {
  assert.equal((await t.call(admin, { method: 'PATCH', url: '/api/v1/jobs/schedules/no.such', payload: { enabled: true } })).statusCode, 404);
  assert.equal((await t.call(admin, { method: 'POST', url: '/api/v1/jobs/schedules/no.such/run', payload: {} })).statusCode, 404);
  assert.equal((await t.call(admin, { url: '/api/v1/jobs/runs/999999' })).statusCode, 404);
});

test('a malformed run body is a 400', async () => {
  const url = '/api/v1/jobs/schedules/platform.sample-report/run';
  for (const payload of [{ payload: 'x' }, { other: 1 }, [1]]) {
    const r = await t.call(admin, { method: 'POST', url, payload });
    assert.equal(r.statusCode, 400, JSON.stringify(payload));
    assert.equal(r.json().code, 'VALIDATION_FAILED');
  }
});

test('run now → 201 runId → the run with logs and progress, listed newest first', async () => {
  const r = await t.call(admin, { method: 'POST', url: '/api/v1/jobs/schedules/platform.sample-report/run', payload: { payload: { stepDelayMs: 0 } } });
  assert.equal(r.statusCode, 201, r.body);
  const { runId } = r.json();
  assert.ok(Number.isInteger(runId));
  const queued = (await t.call(admin, { url: `/api/v1/jobs/runs/${runId}` })).json();
  assert.deepEqual([queued.status, queued.trigger, queued.requestedBy], ['queued', 'manual', admin.username]);

  await runPendingJobs(t.kernel);
  const done = (await t.call(district, { url: `/api/v1/jobs/runs/${runId}` })).json();
  assert.equal(done.status, 'succeeded');
  assert.equal(done.title, '数据统计示例任务');
  assert.deepEqual(done.progress, { done: 10, total: 10 });
  assert.ok(done.logs.length >= 11);
  assert.ok(done.logs.every((l: { ts: string; message: string }) => l.ts && l.message));
  assert.ok(done.result.counts);

  // Without a body the schedule's saved payload is used.
  const secondRes = await t.call(admin, { method: 'POST', url: '/api/v1/jobs/schedules/platform.purge-nonces/run' });
  assert.equal(secondRes.statusCode, 201, secondRes.body);
  const second = secondRes.json();
  const list = (await t.call(admin, { url: '/api/v1/jobs/runs?pageSize=1' })).json();
  assert.equal(list.items[0].id, second.runId);
  assert.ok(list.total >= 2);
  const filtered = (await t.call(admin, { url: '/api/v1/jobs/runs?job=platform.sample-report&status=succeeded' })).json();
  assert.deepEqual(
    filtered.items.map((i: { id: number }) => i.id),
    [runId],
  );
  assert.equal((await t.call(admin, { url: '/api/v1/jobs/runs?status=bogus' })).statusCode, 400);

  const schedules = (await t.call(admin, { url: '/api/v1/jobs/schedules' })).json().items;
  const sample = schedules.find((i: { name: string }) => i.name === 'platform.sample-report');
  assert.equal(sample.lastRun.id, runId);
  assert.equal(sample.lastRun.status, 'succeeded');
  assert.ok(sample.lastRunAt);

  const e = (await t.kernel.db.query<{ object_id: string }>(`select object_id from audit_event where action = 'job.run' order by seq desc limit 1`))[0]!;
  assert.equal(e.object_id, String(second.runId));
});

test('a district administrator can read the console but not change it', async () => {
  assert.equal((await t.call(district, { url: '/api/v1/jobs/schedules' })).statusCode, 200);
  assert.equal((await t.call(district, { url: '/api/v1/jobs/runs' })).statusCode, 200);
  assert.equal(
    (await t.call(district, { method: 'PATCH', url: '/api/v1/jobs/schedules/platform.sample-report', payload: { enabled: false } })).statusCode,
    403,
  );
  assert.equal((await t.call(district, { method: 'POST', url: '/api/v1/jobs/schedules/platform.sample-report/run', payload: {} })).statusCode, 403);
  const doctor = await t.loginAs('family_doctor', { level: 'own', practitionerId: 1 });
  assert.equal((await t.call(doctor, { url: '/api/v1/jobs/runs' })).statusCode, 403);
  assert.equal((await t.call(null, { url: '/api/v1/jobs/schedules' })).statusCode, 401);
});
