import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AuditBuffer } from '../../../platform/audit/event.ts';
import { SYSTEM_PRINCIPAL } from '../../../platform/auth/principal.ts';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { BUILTIN_RULES } from './builtin.ts';
import { categorySummary } from './summary.ts';
import { EXPECTED, EXPECTED_TOTAL, FX, seedHospitalData } from './test-fixture.ts';

let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await seedHospitalData(t.kernel.db);
});
after(() => t.close());

const api = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: object) => t.call(s, { method, url: `/api/v1${url}`, payload });

async function runNow(body: object = {}) {
  const r = await api(admin, 'POST', '/compliance/runs', body);
  assert.equal(r.statusCode, 201, r.body);
  await runPendingJobs(t.kernel, { untilIdle: true });
  return r.json().runId as number;
}

/** Expected findings of one institution over every built-in rule. */
const byInst = (inst: number) => Object.values(EXPECTED).reduce((n, m) => n + ((m as Record<number, number>)[inst] ?? 0), 0);

async function findingsByRule(): Promise<Record<string, Record<number, number>>> {
  const rows = await t.kernel.db.query<{ code: string; inst: number; n: number }>(
    'select r.code, f.institution_id::int as inst, count(*)::int as n from cm_finding f join cm_rule r on r.id = f.rule_id group by 1, 2',
  );
  const out: Record<string, Record<number, number>> = {};
  for (const r of rows) (out[r.code] ??= {})[r.inst] = r.n;
  return out;
}

test('a full run finds exactly the planted fixture violations, with per-rule counts and durations', async () => {
  const runId = await runNow({ mode: 'full' });
  assert.deepEqual(await findingsByRule(), EXPECTED);
  const runs = (await api(admin, 'GET', '/compliance/runs')).json();
  const run = runs.items.find((x: { id: number }) => x.id === runId);
  assert.equal(run.status, 'succeeded');
  assert.equal(run.inserted, EXPECTED_TOTAL);
  assert.equal(run.rules.length, BUILTIN_RULES.length);
  assert.ok(run.rules.every((r: { ms: number; error: string | null }) => r.ms >= 0 && r.error === null));
  const us = run.rules.find((r: { title: string }) => r.title.includes('B超'));
  assert.deepEqual([us.hits, us.inserted], [3, 3]);
});

test('re-running adds nothing twice; an incremental run judges only rows changed since the last run', async () => {
  const again = await runNow({ mode: 'full' });
  const [r] = await t.kernel.db.query<{ hits: number; inserted: number }>('select hits, inserted from cm_run where id = $1', [again]);
  assert.deepEqual(r, { hits: EXPECTED_TOTAL, inserted: 0 });
  const incr = await runNow({ mode: 'incremental' });
  const [i] = await t.kernel.db.query<{ hits: number; since: number }>(
    'select sum(hits)::int as hits, count(since)::int as since from cm_run_rule where run_id = $1',
    [incr],
  );
  assert.deepEqual(i, { hits: 0, since: BUILTIN_RULES.length });
  // A new B超 line for patient 2 on 2026-09-10 makes a third: the new line and the two old ones are in the window,
  // but incrementally only the changed row is judged.
  await t.kernel.db.exec(`insert into hm_fee_line (id, encounter_id, institution_id, district_code, practitioner_id, item_code, item_name, category, qty, unit_price, amount, charged_on)
    values (9, 2, ${FX.instA}, '${FX.districtA}', ${FX.docA}, 'B001', 'B超检查', '检查', 1, 150, 150, '2026-09-10')`);
  const incr2 = await runNow({ mode: 'incremental' });
  const j = (await t.kernel.db.query<{ inserted: number }>('select inserted from cm_run where id = $1', [incr2]))[0]!;
  assert.equal(j.inserted, 1);
  const full = await runNow({
    mode: 'full',
    ruleIds: [(await t.kernel.db.query<{ id: number }>("select id::int as id from cm_rule where code = 'fee.ultrasound.daily'"))[0]!.id],
  });
  const [k] = await t.kernel.db.query<{ inserted: number; rules: number }>(
    'select r.inserted, (select count(*)::int from cm_run_rule where run_id = r.id) as rules from cm_run r where id = $1',
    [full],
  );
  assert.deepEqual(k, { inserted: 2, rules: 1 });
  await t.kernel.db.exec("delete from cm_finding where object_key in ('4', '5', '9') and source = 'fee_line'; delete from hm_fee_line where id = 9");
});

test('runs of disabled rules only are refused; other roles cannot start runs', async () => {
  const { id } = (await t.kernel.db.query<{ id: number }>("select id::int as id from cm_rule where code = 'diagnosis.pregnancy.male'"))[0]!;
  await api(admin, 'POST', `/compliance/rules/${id}/disable`);
  const r = await api(admin, 'POST', '/compliance/runs', { ruleIds: [id] });
  assert.equal(r.statusCode, 422);
  await api(admin, 'POST', `/compliance/rules/${id}/enable`);
  const hospital = await t.loginAs('hospital_admin', { level: 'institution', districtCode: FX.districtA, institutionId: FX.instA });
  assert.equal((await api(hospital, 'POST', '/compliance/runs', {})).statusCode, 403);
});

test('findings: filters, masked patients, the reason; a hospital sees its own, a district official its district', async () => {
  const all = (await api(admin, 'GET', '/compliance/findings?pageSize=100')).json();
  assert.equal(all.total, EXPECTED_TOTAL);
  const fee = (await api(admin, 'GET', '/compliance/findings?category=reasonable_fee')).json();
  assert.equal(fee.total, 5);
  const us = fee.items.find((f: { items: string }) => f.items === 'B超检查');
  assert.equal(us.institution, '测试甲医院');
  assert.equal(us.department, '超声科');
  assert.equal(us.practitioner, '甲医生');
  assert.equal(us.patient, '王**');
  assert.equal(us.amount, 150);
  assert.equal(us.foundOn, '2026-09-10');
  assert.equal(us.detail.times, 3);
  assert.match(us.reason, /B超检查/);
  assert.equal(us.categoryTitle, '合理收费');
  assert.equal((await api(admin, 'GET', `/compliance/findings?institutionId=${FX.instB}`)).json().total, byInst(FX.instB));
  assert.equal((await api(admin, 'GET', `/compliance/findings?practitionerId=${FX.docA}&from=2026-09-02&to=2026-09-30`)).json().total, 8);
  assert.equal((await api(admin, 'GET', `/compliance/findings?departmentId=${FX.deptA}`)).json().total, byInst(FX.instA));

  const hospitalB = await t.loginAs('hospital_user', { level: 'institution', districtCode: FX.districtB, institutionId: FX.instB });
  const own = (await api(hospitalB, 'GET', '/compliance/findings?pageSize=100')).json();
  assert.equal(own.total, byInst(FX.instB));
  assert.ok(own.items.every((f: { institutionId: number }) => f.institutionId === FX.instB));
  const districtA = await t.loginAs('district_admin', { level: 'district', districtCode: FX.districtA });
  assert.equal((await api(districtA, 'GET', '/compliance/findings')).json().total, byInst(FX.instA));
  assert.equal((await api(districtA, 'GET', `/compliance/findings?institutionId=${FX.instB}`)).json().total, 0);

  const detail = await api(admin, 'GET', `/compliance/findings/${us.id}`);
  assert.equal(detail.statusCode, 200);
  assert.equal(detail.json().encounter.feeLines.length, 4);
  assert.equal(detail.json().encounter.patient, '王**');
  assert.equal((await api(hospitalB, 'GET', `/compliance/findings/${us.id}`)).statusCode, 404);
});

test('category summary: 11 cards with cases, max, min, 同比 and 环比 for the reference month', async () => {
  // Two more months of history for 合理收费: last month and the same month last year.
  await t.kernel.db.exec(`
    insert into cm_finding (rule_id, rule_version, category, source, object_key, institution_id, district_code, found_on, run_id)
    select r.id, 1, 'reasonable_fee', 'fee_line', 'hist-' || g, ${FX.instA}, '${FX.districtA}', d, (select max(id) from cm_run)
      from cm_rule r, generate_series(1, 8) g, lateral (select case when g <= 2 then date '2025-09-15' else date '2026-08-20' end as d) x
     where r.code = 'fee.ultrasound.daily'`);
  const r = await api(admin, 'GET', '/compliance/summary?month=2026-09');
  assert.equal(r.statusCode, 200, r.body);
  const s = r.json();
  assert.equal(s.cards.length, 11);
  assert.deepEqual(s.months.slice(-2), ['2026-08', '2026-09']);
  const fee = s.cards.find((c: { category: string }) => c.category === 'reasonable_fee');
  // 2026-09: 3 B超; 2026-08: 2 护理 + 6 history = 8; 2025-09: 2 history (outside the 12 months).
  assert.equal(fee.monthCases, 3);
  assert.equal(fee.cases, 11);
  assert.deepEqual(fee.max, { month: '2026-08', cases: 8 });
  assert.equal(fee.min.cases, 0);
  assert.equal(fee.mom, -0.625);
  assert.equal(fee.yoy, 0.5);
  const dev = s.cards.find((c: { category: string }) => c.category === 'device_usage');
  // 器械使用情况: the two stent lines of 2026-08, none in 2026-09.
  assert.deepEqual([dev.cases, dev.mom, dev.yoy], [2, -1, null]);
  const dflt = (await api(admin, 'GET', '/compliance/summary')).json();
  assert.equal(dflt.month, '2026-09');
  const hospitalB = await t.loginAs('hospital_user', { level: 'institution', districtCode: FX.districtB, institutionId: FX.instB });
  const own = (await api(hospitalB, 'GET', '/compliance/summary?month=2026-08')).json();
  assert.equal(own.cards.find((c: { category: string }) => c.category === 'reasonable_fee').monthCases, 2);
});

test('a run executed again after an interruption keeps its first start: the next incremental run reads from there', async () => {
  const rules = await t.kernel.db.query<{ id: number; v: number }>(
    "select id::int as id, current_version as v from cm_rule where enabled and code in ('fee.ultrasound.daily', 'diagnosis.pregnancy.male') order by id",
  );
  assert.equal(rules.length, 2);
  const r = await api(admin, 'POST', '/compliance/runs', { mode: 'incremental', ruleIds: rules.map((x) => x.id) });
  assert.equal(r.statusCode, 201, r.body);
  const runId = r.json().runId as number;
  // What an execution killed an hour ago left: the run started, its first step committed.
  await t.kernel.db.query(`update cm_run set status = 'running', started_at = now() - interval '1 hour' where id = $1`, [runId]);
  await t.kernel.db.query('insert into cm_run_rule (run_id, rule_id, rule_version) values ($1, $2, $3)', [runId, rules[0]!.id, rules[0]!.v]);
  await runPendingJobs(t.kernel, { untilIdle: true });
  const [run] = await t.kernel.db.query<{ status: string; early: boolean; steps: number }>(
    `select status, started_at < now() - interval '50 minutes' as early, (select count(*)::int from cm_run_rule where run_id = r.id) as steps from cm_run r where id = $1`,
    [runId],
  );
  // The first step judged rows changed up to an hour ago: were the start moved to now, the next incremental
  // run of that rule would never judge the rows changed in between.
  assert.deepEqual(run, { status: 'succeeded', early: true, steps: 2 });
});

test('the month still running: 同比 and 环比 compare the same days (1st … today) of last month and of that month last year', async () => {
  const add = (dates: string[]) =>
    t.kernel.db.query(
      `insert into cm_finding (rule_id, rule_version, category, source, object_key, institution_id, district_code, found_on, run_id)
       select r.id, 1, 'reasonable_fee', 'fee_line', 'mtd-' || g.i, $2, $3, g.d::date, (select max(id) from cm_run)
         from cm_rule r, unnest($1::text[]) with ordinality as g(d, i) where r.code = 'fee.ultrasound.daily'`,
      [dates, FX.instA, FX.districtA],
    );
  // 2027-03 to the 10th: 4 cases; February: 2 by the 10th, 6 after; March 2026: 1 by the 10th, 3 after.
  await add([...Array(4).fill('2027-03-05'), ...Array(2).fill('2027-02-03'), ...Array(6).fill('2027-02-20'), '2026-03-08', ...Array(3).fill('2026-03-25')]);
  try {
    const fee = (s: { cards: { category: string; monthCases: number; mom: number | null; yoy: number | null }[] }) =>
      s.cards.find((c) => c.category === 'reasonable_fee')!;
    const running = await t.kernel.db.transaction((tx) =>
      categorySummary({ tx, principal: SYSTEM_PRINCIPAL, audit: new AuditBuffer(), kernel: t.kernel }, { month: '2027-03' }, '2027-03-10'),
    );
    assert.equal(running.through, '2027-03-10');
    assert.deepEqual([fee(running).monthCases, fee(running).mom, fee(running).yoy], [4, 1, 3]);
    // Once the month is over, whole months are compared.
    const closed = await t.kernel.db.transaction((tx) =>
      categorySummary({ tx, principal: SYSTEM_PRINCIPAL, audit: new AuditBuffer(), kernel: t.kernel }, { month: '2027-03' }, '2027-04-02'),
    );
    assert.equal(closed.through, null);
    assert.deepEqual([fee(closed).monthCases, fee(closed).mom, fee(closed).yoy], [4, -0.5, 0]);
    // Over HTTP the current month (in Shanghai) carries `through`; a past month does not.
    assert.equal((await api(admin, 'GET', '/compliance/summary?month=2026-09')).json().through, null);
  } finally {
    await t.kernel.db.query("delete from cm_finding where object_key like 'mtd-%'");
  }
});
