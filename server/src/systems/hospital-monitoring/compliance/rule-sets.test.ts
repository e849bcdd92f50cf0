import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { enqueueJob } from '../../../platform/jobs/enqueue.ts';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { RULE_SET_TICK_JOB } from './rule-set-tick.ts';
import { FX, seedHospitalData } from './test-fixture.ts';

let t: TestApp;
let admin: TestSession;
let ruleIds: Record<string, number>;

const api = (s: TestSession, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => t.call(s, { method, url: `/api/v1${url}`, payload });

before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await seedHospitalData(t.kernel.db);
  ruleIds = Object.fromEntries(
    (await t.kernel.db.query<{ code: string; id: number }>('select code, id::int as id from cm_rule where code is not null')).map((r) => [r.code, r.id]),
  );
});
after(() => t.close());

test('create: cron, strategy, online; the next start is computed; bad input is refused in Chinese', async () => {
  const r = await api(admin, 'POST', '/compliance/rule-sets', {
    name: '收费类夜间巡检',
    ruleIds: [ruleIds['fee.ultrasound.daily'], ruleIds['fee.nursing.exclusive']],
    cron: '30 2 * * *',
    strategy: 'incremental',
    online: true,
  });
  assert.equal(r.statusCode, 201, r.body);
  const s = r.json();
  assert.equal(s.name, '收费类夜间巡检');
  assert.equal(s.rules.length, 2);
  assert.ok(new Date(s.nextRunAt).getTime() > Date.now());
  // 02:30 in Shanghai is 18:30 UTC.
  assert.equal(new Date(s.nextRunAt).getUTCHours(), 18);
  assert.equal(s.lastRun, null);

  const badCron = await api(admin, 'POST', '/compliance/rule-sets', { name: '坏', ruleIds: [ruleIds['fee.ultrasound.daily']], cron: '61 * * * *' });
  assert.equal(badCron.statusCode, 400);
  assert.equal(badCron.json().details[0].field, 'cron');
  assert.match(badCron.json().message, /cron/);
  const unknown = await api(admin, 'POST', '/compliance/rule-sets', { name: '无此规则', ruleIds: [999999] });
  assert.equal(unknown.statusCode, 422);
  assert.match(unknown.json().message, /规则不存在/);
  const dup = await api(admin, 'POST', '/compliance/rule-sets', { name: '收费类夜间巡检', ruleIds: [ruleIds['fee.ultrasound.daily']] });
  assert.equal(dup.statusCode, 409);
  const empty = await api(admin, 'POST', '/compliance/rule-sets', { name: '空', ruleIds: [] });
  assert.equal(empty.statusCode, 400);
  const strategy = await api(admin, 'POST', '/compliance/rule-sets', { name: '策略', ruleIds: [ruleIds['fee.ultrasound.daily']], strategy: 'sometimes' });
  assert.equal(strategy.statusCode, 400);
});

test('only city-level rule managers configure or run rule sets; readers may list them', async () => {
  const body = { name: '越权', ruleIds: [ruleIds['fee.ultrasound.daily']] };
  const hospital = await t.loginAs('hospital_admin', { level: 'institution', districtCode: FX.districtA, institutionId: FX.instA });
  const district = await t.loginAs('district_admin', { level: 'district', districtCode: FX.districtA });
  const shenkangDistrict = await t.loginAs('shenkang_admin', { level: 'district', districtCode: FX.districtA });
  for (const s of [hospital, district]) {
    assert.equal((await api(s, 'POST', '/compliance/rule-sets', body)).statusCode, 403);
    assert.equal((await api(s, 'GET', '/compliance/rule-sets')).statusCode, 200);
  }
  assert.equal((await api(shenkangDistrict, 'POST', '/compliance/rule-sets', body)).statusCode, 403);
  const [{ id }] = (await api(admin, 'GET', '/compliance/rule-sets')).json().items;
  assert.equal((await api(hospital, 'PATCH', `/compliance/rule-sets/${id}`, { online: false })).statusCode, 403);
  assert.equal((await api(hospital, 'POST', `/compliance/rule-sets/${id}/runs`, {})).statusCode, 403);
  assert.equal((await api(admin, 'GET', '/compliance/rule-sets/999999')).statusCode, 404);
});

test('offline sets neither run nor wait for a schedule; online ones run on demand with per-rule counts and progress', async () => {
  const [{ id }] = (await api(admin, 'GET', '/compliance/rule-sets')).json().items;
  const off = await api(admin, 'PATCH', `/compliance/rule-sets/${id}`, { online: false });
  assert.equal(off.statusCode, 200, off.body);
  assert.equal(off.json().online, false);
  assert.equal(off.json().nextRunAt, null);
  const refused = await api(admin, 'POST', `/compliance/rule-sets/${id}/runs`, {});
  assert.equal(refused.statusCode, 422);
  assert.match(refused.json().message, /下线/);

  assert.equal((await api(admin, 'PATCH', `/compliance/rule-sets/${id}`, { online: true, strategy: 'full' })).json().strategy, 'full');
  const r = await api(admin, 'POST', `/compliance/rule-sets/${id}/runs`, {});
  assert.equal(r.statusCode, 201, r.body);
  await runPendingJobs(t.kernel, { untilIdle: true });
  const runs = (await api(admin, 'GET', `/compliance/runs?ruleSetId=${id}`)).json();
  assert.equal(runs.total, 1);
  const run = runs.items[0];
  assert.deepEqual([run.status, run.mode, run.trigger, run.ruleSetName], ['succeeded', 'full', 'manual', '收费类夜间巡检']);
  assert.deepEqual([run.progressDone, run.progressTotal], [2, 2]);
  assert.equal(run.rules.length, 2);
  assert.deepEqual(run.rules.map((x: { hits: number }) => x.hits).sort(), [2, 3]);
  assert.ok(run.rules.every((x: { ms: number }) => x.ms >= 0));
  const set = (await api(admin, 'GET', `/compliance/rule-sets/${id}`)).json();
  assert.equal(set.lastRun.id, run.id);
  assert.equal(set.lastRun.inserted, 5);
});

test('the tick starts due online sets with their strategy (incremental: since the last run) and moves their next start', async () => {
  const [{ id }] = (await api(admin, 'GET', '/compliance/rule-sets')).json().items;
  assert.equal((await api(admin, 'PATCH', `/compliance/rule-sets/${id}`, { strategy: 'incremental' })).statusCode, 200);
  const other = await api(admin, 'POST', '/compliance/rule-sets', {
    name: '下线的规则集',
    ruleIds: [ruleIds['diagnosis.pregnancy.male']],
    cron: '* * * * *',
    online: false,
  });
  assert.equal(other.statusCode, 201);
  await t.kernel.db.query(`update cm_rule_set set next_run_at = now() - interval '1 minute' where id = $1`, [id]);
  // An offline set with a past time (as if switched off while due) is not started.
  await t.kernel.db.query(`update cm_rule_set set next_run_at = now() - interval '1 minute' where id = $1`, [other.json().id]);
  await t.kernel.db.transaction((tx) => enqueueJob(tx, RULE_SET_TICK_JOB));
  await runPendingJobs(t.kernel, { untilIdle: true });
  const runs = (await api(admin, 'GET', `/compliance/runs?ruleSetId=${id}`)).json();
  assert.equal(runs.total, 2);
  const run = runs.items[0];
  assert.deepEqual([run.status, run.mode, run.trigger, run.requestedBy], ['succeeded', 'incremental', 'schedule', 'system']);
  const since = (await t.kernel.db.query<{ n: number }>('select count(since)::int as n from cm_run_rule where run_id = $1', [run.id]))[0]!;
  assert.equal(since.n, 2);
  assert.equal(run.inserted, 0);
  assert.equal((await api(admin, 'GET', `/compliance/runs?ruleSetId=${other.json().id}`)).json().total, 0);
  const set = (await api(admin, 'GET', `/compliance/rule-sets/${id}`)).json();
  assert.ok(new Date(set.nextRunAt).getTime() > Date.now());
  const audit = await t.kernel.db.query<{ n: number }>("select count(*)::int as n from audit_event where action = 'compliance.run.request'");
  assert.ok(audit[0]!.n >= 2);
});

test('a set whose rules are all disabled is skipped by the tick, not failed', async () => {
  const s = await api(admin, 'POST', '/compliance/rule-sets', {
    name: '停用规则',
    ruleIds: [ruleIds['diagnosis.pregnancy.male']],
    cron: '0 3 * * *',
    online: true,
  });
  await api(admin, 'POST', `/compliance/rules/${ruleIds['diagnosis.pregnancy.male']}/disable`);
  await t.kernel.db.query(`update cm_rule_set set next_run_at = now() - interval '1 minute' where id = $1`, [s.json().id]);
  await t.kernel.db.transaction((tx) => enqueueJob(tx, RULE_SET_TICK_JOB));
  await runPendingJobs(t.kernel, { untilIdle: true });
  assert.equal((await api(admin, 'GET', `/compliance/runs?ruleSetId=${s.json().id}`)).json().total, 0);
  const job = (await t.kernel.db.query<{ status: string }>(`select status from job_run where job = $1 order by id desc limit 1`, [RULE_SET_TICK_JOB]))[0]!;
  assert.equal(job.status, 'succeeded');
  assert.equal((await api(admin, 'POST', `/compliance/rule-sets/${s.json().id}/runs`, {})).statusCode, 422);
  await api(admin, 'POST', `/compliance/rules/${ruleIds['diagnosis.pregnancy.male']}/enable`);
});
