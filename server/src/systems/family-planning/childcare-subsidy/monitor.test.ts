import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AuditBuffer } from '../../../platform/audit/event.ts';
import { dispatchPending } from '../../../platform/integration/dispatcher.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { breaches, checkAlerts, type FunnelRow, funnelTotals } from './monitor.ts';
import { NATIONAL } from './national.ts';
import { runSync } from './sync.ts';
import { confirm, type Sims, screenedWorld, sendAndCollect, startSims } from './test-flow.ts';

let t: TestApp;
let admin: TestSession;
let sims: Sims;
const today = todayInShanghai();
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await screenedWorld(t, admin);
  sims = await startSims(t);
  // 40 links: 24 confirmed (one of them later rejected in review), 6 expired, the rest still open.
  const tokens = [...(await sendAndCollect(t, admin, sims, 40)).entries()].sort((a, b) => a[0] - b[0]);
  for (const [, token] of tokens.slice(0, 23)) await confirm(t, token);
  const [reviewId, reviewToken] = tokens[23]!;
  await confirm(t, reviewToken, null);
  const rj = await t.call(admin, {
    method: 'POST',
    url: `/api/v1/childcare-subsidy/applications/${reviewId}/review`,
    payload: { decision: 'reject', reason: '测试驳回' },
  });
  assert.equal(rj.statusCode, 200, rj.body);
  // Expired today in Shanghai: an hour back would be yesterday when the suite runs just after midnight there.
  await t.kernel.db.query(
    `update cs_application set token_expires_at = greatest(now() - interval '1 hour', date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai')
      where id = any($1::bigint[])`,
    [tokens.slice(24, 30).map(([id]) => id)],
  );
  const sync = () => runSync({ kernel: t.kernel, transaction: (fn) => t.kernel.db.transaction((tx) => fn(tx, new AuditBuffer())) });
  await sync();
  await dispatchPending(t.kernel, { systems: [NATIONAL] });
  await sync();
});
after(async () => {
  await sims?.stop();
  await t.close();
});

const api = (s: TestSession, method: 'GET' | 'PUT', url: string, payload?: object) => t.call(s, { method, url: `/api/v1${url}`, payload });
type Stage = { stage: string; ok: number; failed: number; pending: number; successRate: number | null; conversion: number | null };

test('the funnel: screened → pre-filled → SMS sent → confirmed → approved → synced, with exceptions and rates, by day and district', async () => {
  const r = await api(admin, 'GET', `/childcare-subsidy/monitor/funnel?from=${today}&to=${today}`);
  assert.equal(r.statusCode, 200, r.body);
  const by = Object.fromEntries((r.json().stages as Stage[]).map((s) => [s.stage, s]));
  const c = (
    await t.kernel.db.query<{ eligible: number; complete: number; incomplete: number; unverified: number }>(
      `select count(*) filter (where eligible)::int as eligible, count(*) filter (where eligible and prefill_complete)::int as complete,
            count(*) filter (where eligible and not prefill_complete)::int as incomplete, count(*) filter (where 'parents_unverified' = any(reasons))::int as unverified
       from cs_candidate where run_id = (select max(id) from cs_screening_run where status = 'succeeded')`,
    )
  )[0]!;
  assert.deepEqual([by.screened!.ok, by.screened!.failed], [c.eligible, c.unverified]);
  assert.deepEqual([by.prefilled!.ok, by.prefilled!.failed], [c.complete, c.incomplete]);
  assert.deepEqual([by.sms_sent!.ok, by.sms_sent!.failed, by.sms_sent!.pending], [40, 0, 0]);
  assert.deepEqual([by.confirmed!.ok, by.confirmed!.failed, by.confirmed!.pending], [24, 6, 10]);
  assert.deepEqual([by.approved!.ok, by.approved!.failed, by.approved!.pending], [23, 1, 0]);
  assert.deepEqual([by.synced!.ok, by.synced!.failed, by.synced!.pending], [23, 0, 0]);
  assert.equal(by.confirmed!.successRate, 0.8);
  assert.equal(by.confirmed!.conversion, 0.6);
  assert.equal(by.prefilled!.conversion, Math.round((c.complete / c.eligible) * 10_000) / 10_000);
  const rows = r.json().rows as FunnelRow[];
  assert.ok(rows.every((x) => x.day === today));
  assert.ok(new Set(rows.map((x) => x.districtCode)).size > 1, 'rows by district');
  assert.equal(
    rows.filter((x) => x.stage === 'confirmed').reduce((a, x) => a + x.ok, 0),
    24,
  );
});

test('funnel scope: a district admin sees only its district; bad ranges are 400; roles without childcare-subsidy.read are refused', async () => {
  const d = (
    await t.kernel.db.query<{ d: string; n: number }>('select district_code as d, count(*)::int as n from cs_application group by 1 order by 2 desc limit 1')
  )[0]!;
  const official = await t.loginAs('district_admin', { level: 'district', districtCode: d.d });
  const r = await api(official, 'GET', `/childcare-subsidy/monitor/funnel?from=${today}&to=${today}`);
  assert.equal(r.statusCode, 200, r.body);
  assert.ok((r.json().rows as FunnelRow[]).every((x) => x.districtCode === d.d));
  const sms = (r.json().stages as Stage[]).find((s) => s.stage === 'sms_sent') as Stage;
  assert.equal(sms.ok, d.n);
  assert.ok(d.n < 40);
  assert.equal((await api(admin, 'GET', '/childcare-subsidy/monitor/funnel?from=2026-11-20&to=2026-11-01')).statusCode, 400);
  assert.equal((await api(admin, 'GET', '/childcare-subsidy/monitor/funnel?from=2025-01-01&to=2026-11-01')).statusCode, 400);
  assert.equal((await api(admin, 'GET', '/childcare-subsidy/monitor/funnel?from=yesterday')).statusCode, 400);
  const hospital = await t.loginAs('hospital_admin', { level: 'institution', institutionId: 1 });
  assert.equal((await api(hospital, 'GET', '/childcare-subsidy/monitor/funnel')).statusCode, 403);
});

test('thresholds: city admin sets them (audited); district admins and bad values are refused', async () => {
  const ok = await api(admin, 'PUT', '/childcare-subsidy/monitor/thresholds', { items: [{ stage: 'confirmed', maxFailureRate: 0.1, minVolume: 3 }] });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(
    ok.json().items.find((i: { stage: string }) => i.stage === 'confirmed'),
    { stage: 'confirmed', maxFailureRate: 0.1, minVolume: 3 },
  );
  const official = await t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  assert.equal(
    (await api(official, 'PUT', '/childcare-subsidy/monitor/thresholds', { items: [{ stage: 'confirmed', maxFailureRate: 0.9, minVolume: 1 }] })).statusCode,
    403,
  );
  for (const bad of [
    { items: [{ stage: 'confirmed', maxFailureRate: 1.5, minVolume: 1 }] },
    { items: [{ stage: 'nope', maxFailureRate: 0.1, minVolume: 1 }] },
    { items: [] },
    {
      items: [
        { stage: 'synced', maxFailureRate: 0.1, minVolume: 1 },
        { stage: 'synced', maxFailureRate: 0.2, minVolume: 1 },
      ],
    },
  ]) {
    const r = await api(admin, 'PUT', '/childcare-subsidy/monitor/thresholds', bad);
    assert.equal(r.statusCode, 400, JSON.stringify(bad));
    assert.ok(r.json().details.length > 0);
  }
  assert.equal((await api(official, 'GET', '/childcare-subsidy/monitor/thresholds')).statusCode, 200);
});

test('breaches (pure): per district and city-wide, only above the threshold and with enough volume', () => {
  const row = (districtCode: string, ok: number, failed: number): FunnelRow => ({ day: today, districtCode, stage: 'confirmed', ok, failed, pending: 0 });
  const limits = [{ stage: 'confirmed' as const, maxFailureRate: 0.2, minVolume: 5 }];
  const b = breaches([row('310101', 3, 3), row('310104', 10, 1), row('310105', 1, 2)], limits);
  assert.deepEqual(
    b.map((x) => [x.districtCode, x.failed, x.total]).sort(),
    [
      ['310101', 3, 6],
      [null, 6, 20],
    ].sort() as unknown[],
  );
  assert.equal(funnelTotals([row('310101', 3, 1)]).find((s) => s.stage === 'confirmed')?.successRate, 0.75);
});

test('alerts: a stage past its threshold notifies the district admins of that district (and city admins city-wide) once', async () => {
  const expired = await t.kernel.db.query<{ d: string }>(
    `select distinct district_code as d from cs_application where confirmed_at is null and token_expires_at <= now()`,
  );
  const hit = expired[0]!.d;
  const calm = (
    await t.kernel.db.query<{ code: string }>(`select code from region where level = 'district' and code <> all($1::text[]) order by code limit 1`, [
      expired.map((e) => e.d),
    ])
  )[0]!;
  const watcher = await t.loginAs('district_admin', { level: 'district', districtCode: hit });
  const bystander = await t.loginAs('district_admin', { level: 'district', districtCode: calm.code });
  await api(admin, 'PUT', '/childcare-subsidy/monitor/thresholds', { items: [{ stage: 'confirmed', maxFailureRate: 0.05, minVolume: 1 }] });
  const alerts = await t.kernel.db.transaction((tx) => checkAlerts(tx, new AuditBuffer(), today));
  const confirmed = alerts.filter((a) => a.stage === 'confirmed');
  assert.ok(
    confirmed.some((a) => a.districtCode === null),
    'city-wide alert',
  );
  assert.ok(confirmed.some((a) => a.districtCode === hit));
  const notes = async (userId: number) =>
    t.kernel.db.query<{ title: string; link: string }>(`select title, link from notification where user_id = $1 and kind = 'subsidy.funnel-alert'`, [userId]);
  const mine = await notes(watcher.userId);
  assert.equal(mine.length, 1);
  assert.match(mine[0]!.title, /家长确认.*失败率/);
  assert.equal(mine[0]!.link, '/family-planning/childcare-subsidy?tab=monitor');
  assert.equal((await notes(bystander.userId)).length, 0);
  assert.ok((await notes(admin.userId)).length >= 1, 'city admin notified of the city-wide breach');
  assert.equal((await t.kernel.db.transaction((tx) => checkAlerts(tx, null, today))).length, 0, 'the same breach alerts once');
  assert.equal((await notes(watcher.userId)).length, 1);

  const list = await api(watcher, 'GET', '/childcare-subsidy/monitor/alerts');
  assert.equal(list.statusCode, 200, list.body);
  assert.ok(list.json().items.length >= 1);
  assert.ok(list.json().items.every((a: { districtCode: string | null }) => a.districtCode === hit));
});
