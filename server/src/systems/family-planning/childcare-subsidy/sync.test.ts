import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { dispatchPending } from '../../../platform/integration/dispatcher.ts';
import { nationalStore } from '../../../platform/integration/simulators/systems/national-subsidy.ts';
import { AuditBuffer } from '../../../platform/audit/event.ts';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { NATIONAL } from './national.ts';
import { compare } from './reconcile.ts';
import { applyReplies, runSync } from './sync.ts';
import { confirm, type Sims, screenedWorld, sendAndCollect, startSims } from './test-flow.ts';

let t: TestApp;
let admin: TestSession;
let sims: Sims;
let tokens: Map<number, string>;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await screenedWorld(t, admin);
  sims = await startSims(t);
  tokens = await sendAndCollect(t, admin, sims);
});
after(async () => {
  await sims?.stop();
  await t.close();
});

const api = (s: TestSession, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => t.call(s, { method, url: `/api/v1${url}`, payload });
const q = <T = Record<string, unknown>>(sql: string, p: unknown[] = []) => t.kernel.db.query<T>(sql, p);
/** The sync job's work, as the system principal (what the every-minute job runs). */
const sync = () => runSync({ kernel: t.kernel, transaction: (fn) => t.kernel.db.transaction((tx) => fn(tx, new AuditBuffer())) });

test('an approved application is uploaded once: one outbox message with sealed personal fields; the national system holds it; feedback makes it paid', async () => {
  const ids = [...tokens.keys()].sort((a, b) => a - b).slice(0, 4);
  for (const id of ids) assert.equal(await confirm(t, tokens.get(id) as string), 'approved');
  const r1 = await sync();
  assert.equal(r1.queued, 4);
  assert.equal((await sync()).queued, 0, 'a second run queues nothing');
  const msgs = await q<{ idempotency_key: string; payload: Record<string, unknown> }>(
    `select idempotency_key, payload from outbox_message where system = $1 order by id`,
    [NATIONAL],
  );
  assert.deepEqual(
    msgs.map((m) => m.idempotency_key),
    ids.map((id) => `cs-app:${id}`),
  );
  // No identity number, phone or bank account in clear in the outbox.
  const child = (
    await q<{ id_number_enc: string }>('select p.id_number_enc from person p join cs_application a on a.child_person_id = p.id where a.id = $1', [ids[0]])
  )[0]!;
  const childId = t.kernel.keys.decryptField(child.id_number_enc);
  assert.ok(!JSON.stringify(msgs).includes(childId));
  assert.ok(!JSON.stringify(msgs).includes('6222021234567890123'));

  const d = await dispatchPending(t.kernel, { systems: [NATIONAL] });
  assert.equal(d.delivered, 4);
  const store = nationalStore(sims.national);
  assert.deepEqual(
    [...store.records.keys()].sort((a, b) => a - b),
    ids,
  );
  const held = store.records.get(ids[0]!);
  assert.equal(held?.childIdNumber, childId, 'the adapter opened the sealed fields for the national system');
  const body = sims.national.received[0]!.body as { bankAccount: string; applicant: { phone: string } };
  assert.equal(body.bankAccount, '6222021234567890123');
  assert.match(body.applicant.phone, /^1\d{10}$/);

  const r2 = await sync();
  assert.equal(r2.feedback.applied, 4, JSON.stringify(r2.feedback));
  const rows = await q<{ national_status: string; national_id: string }>(
    'select national_status, national_id from cs_application where id = any($1::bigint[])',
    [ids],
  );
  assert.ok(rows.every((r) => r.national_status === 'paid' && r.national_id?.startsWith('GJ')));
  const st = await api(admin, 'GET', '/childcare-subsidy/sync/status');
  assert.equal(st.statusCode, 200, st.body);
  assert.equal(st.json().counts.paid, 4);
  const list = await api(admin, 'GET', '/childcare-subsidy/applications?national=paid');
  assert.equal(list.json().total, 4);
  assert.equal(list.json().items[0].nationalStatusTitle, '已发放');
});

test('the national system rejects with a reason (重复申领); the rejection reaches the application', async () => {
  const [id] = [...tokens.keys()].sort((a, b) => a - b).slice(4, 5);
  const c = (
    await q<{ id_number_enc: string }>('select p.id_number_enc from person p join cs_application a on a.child_person_id = p.id where a.id = $1', [id])
  )[0]!;
  nationalStore(sims.national).byChild.set(t.kernel.keys.decryptField(c.id_number_enc), 999_999);
  assert.equal(await confirm(t, tokens.get(id!) as string), 'approved');
  await sync();
  await dispatchPending(t.kernel, { systems: [NATIONAL] });
  await sync();
  const a = (
    await q<{ national_status: string; national_reason: string }>('select national_status, national_reason from cs_application where id = $1', [id])
  )[0]!;
  assert.equal(a.national_status, 'rejected');
  assert.match(a.national_reason, /重复申领/);
});

test('feedback replies: duplicates count once, a late "accepted" never overwrites "paid", unknown applications are kept but not applied', async () => {
  const [id] = [...tokens.keys()].sort((a, b) => a - b).slice(5, 6);
  await q(`update cs_application set status = 'approved', confirmed_at = now() where id = $1`, [id]);
  const paid = { seq: 9001, replyId: 'r-paid', type: 'application.status', applicationId: id, status: 'paid', nationalId: 'GJX' };
  const accepted = { seq: 9002, replyId: 'r-acc', type: 'application.status', applicationId: id, status: 'accepted', nationalId: 'GJX' };
  const s1 = await t.kernel.db.transaction((tx) => applyReplies(tx, [paid, paid, { ...paid, seq: 9003 }]));
  assert.deepEqual([s1.applied, s1.duplicates], [1, 2]);
  const s2 = await t.kernel.db.transaction((tx) =>
    applyReplies(tx, [accepted, { seq: 9004, replyId: 'r-x', type: 'application.status', applicationId: 123456789, status: 'paid' }]),
  );
  assert.deepEqual([s2.applied, s2.stale, s2.unknown], [0, 1, 1]);
  const a = (await q<{ national_status: string }>('select national_status from cs_application where id = $1', [id]))[0]!;
  assert.equal(a.national_status, 'paid');
  const n = (
    await q<{ n: number; applied: number }>(
      `select count(*)::int as n, count(*) filter (where applied)::int as applied from cs_national_reply where reply_id in ('r-paid', 'r-acc', 'r-x')`,
    )
  )[0]!;
  assert.deepEqual([n.n, n.applied], [3, 1]);
  // Put it back: it was never uploaded (the reconciliation test counts uploads).
  await q(`update cs_application set status = 'sms_sent', confirmed_at = null, national_status = null, national_rank = 0, national_id = null where id = $1`, [
    id,
  ]);
});

test('compare (pure): missing on their side, missing on ours, status differs, "received" equals uploading', () => {
  const o = (id: number, status: string, national: string | null, msg: string | null = '1') => ({
    id: String(id),
    status,
    national_status: national,
    sync_message_id: msg,
    district_code: '310101',
    street_code: null,
  });
  const r = compare(
    [o(1, 'approved', 'paid'), o(2, 'approved', null), o(3, 'approved', 'accepted'), o(4, 'approved', null), o(5, 'manual_review', null, null)],
    [
      { applicationId: 1, status: 'paid', reason: null },
      { applicationId: 3, status: 'rejected', reason: '孩次缺失' },
      { applicationId: 4, status: 'received', reason: null },
      { applicationId: 5, status: 'accepted', reason: null },
      { applicationId: 77, status: 'paid', reason: null },
    ],
  );
  assert.equal(r.matched, 2);
  assert.deepEqual(
    r.mismatches.map((m) => [m.application_id, m.kind]).sort(),
    [
      [2, 'missing_theirs'],
      [3, 'status_differs'],
      [5, 'missing_ours'],
      [77, 'missing_ours'],
    ].sort(),
  );
});

test('reconciliation: job finds the planted mismatches; report scoped by district; only city admins may start one', async () => {
  const store = nationalStore(sims.national);
  const [gone, changed] = [...store.records.values()]
    .filter((r) => r.status === 'paid')
    .map((r) => r.applicationId)
    .sort((a, b) => a - b);
  store.records.delete(gone!);
  (store.records.get(changed!) as { status: string }).status = 'rejected';
  store.records.set(888_888, {
    applicationId: 888_888,
    nationalId: 'GJFOREIGN',
    childIdNumber: 'x',
    districtCode: null,
    status: 'paid',
    reason: null,
    uploads: 1,
    updatedAt: new Date().toISOString(),
  });

  const district = await t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  assert.equal((await api(district, 'POST', '/childcare-subsidy/reconciliations', {})).statusCode, 403);
  assert.equal((await api(district, 'POST', '/childcare-subsidy/sync', {})).statusCode, 403);
  assert.equal((await api(admin, 'POST', '/childcare-subsidy/reconciliations', { extra: 1 })).statusCode, 400);
  const r = await api(admin, 'POST', '/childcare-subsidy/reconciliations', {});
  assert.equal(r.statusCode, 202, r.body);
  await runPendingJobs(t.kernel, { untilIdle: true });
  const list = await api(admin, 'GET', '/childcare-subsidy/reconciliations');
  assert.equal(list.statusCode, 200, list.body);
  const run = list.json().items[0];
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  assert.deepEqual(run.mismatches, { missing_theirs: 1, missing_ours: 1, status_differs: 1 });
  const items = await api(admin, 'GET', `/childcare-subsidy/reconciliations/${r.json().id}/items`);
  assert.deepEqual(
    items
      .json()
      .items.map((i: { applicationId: number; kind: string }) => [i.applicationId, i.kind])
      .sort(),
    [
      [gone, 'missing_theirs'],
      [changed, 'status_differs'],
      [888_888, 'missing_ours'],
    ].sort(),
  );
  const differs = items.json().items.find((i: { kind: string }) => i.kind === 'status_differs');
  assert.deepEqual([differs.oursStatus, differs.theirsStatus], ['paid', 'rejected']);
  assert.equal((await api(admin, 'GET', `/childcare-subsidy/reconciliations/${r.json().id}/items?kind=bogus`)).statusCode, 400);
  assert.equal((await api(admin, 'GET', '/childcare-subsidy/reconciliations/99999/items')).statusCode, 404);

  // A district admin sees only the mismatches of its district, and no city-wide totals.
  const own = (await q<{ district_code: string }>('select district_code from cs_application where id = $1', [gone]))[0]!;
  const official = await t.loginAs('district_admin', { level: 'district', districtCode: own.district_code });
  const dl = await api(official, 'GET', `/childcare-subsidy/reconciliations/${r.json().id}/items`);
  assert.equal(dl.statusCode, 200, dl.body);
  assert.ok(dl.json().items.length >= 1);
  assert.ok(dl.json().items.every((i: { districtCode: string }) => i.districtCode === own.district_code));
  const dr = (await api(official, 'GET', '/childcare-subsidy/reconciliations')).json().items[0];
  assert.equal(dr.ours, null);
  const other = await t.loginAs('district_admin', { level: 'district', districtCode: own.district_code === '310101' ? '310104' : '310101' });
  const ol = (await api(other, 'GET', `/childcare-subsidy/reconciliations/${r.json().id}/items`)).json().items;
  assert.ok(ol.every((i: { applicationId: number }) => i.applicationId !== gone));
});

test('field requirements are fetched from the national system; a change replaces the stored list', async () => {
  const store = nationalStore(sims.national);
  assert.equal((await sync()).requirementsChanged, false, 'the seeded list is the national one');
  const before = store.fields.map((f) => ({ ...f }));
  store.fields = store.fields.map((f) => (f.field === 'bank_account' ? { ...f, required: true } : f));
  assert.equal((await sync()).requirementsChanged, true);
  const b = (await q<{ required: boolean }>(`select required from cs_field_requirement where field = 'bank_account'`))[0]!;
  assert.equal(b.required, true);
  const r = await api(admin, 'GET', '/childcare-subsidy/field-requirements');
  assert.equal(r.json().items.length, before.length);
  store.fields = before;
  assert.equal((await sync()).requirementsChanged, true);
});

test('national system down: the sync run does not fail; the feedback error is kept and shown, and cleared on the next good read', async () => {
  await sims.national.down('refuse', 60_000);
  const r = await sync();
  assert.match(r.feedback.error ?? '', /连接被拒绝/);
  const st = await api(admin, 'GET', '/childcare-subsidy/sync/status');
  assert.match(st.json().feedback.lastError, /连接被拒绝/);
  await sims.national.up();
  assert.equal((await sync()).feedback.error, undefined);
  assert.equal((await api(admin, 'GET', '/childcare-subsidy/sync/status')).json().feedback.lastError, null);
});

test('sync now: city admin queues the job (202, audited); status readable by district admins; auditors may not trigger', async () => {
  const r = await api(admin, 'POST', '/childcare-subsidy/sync', {});
  assert.equal(r.statusCode, 202, r.body);
  assert.ok(r.json().jobRunId > 0);
  const auditor = await t.loginAs('auditor');
  assert.equal((await api(auditor, 'POST', '/childcare-subsidy/sync', {})).statusCode, 403);
  assert.equal((await api(auditor, 'GET', '/childcare-subsidy/sync/status')).statusCode, 200);
  const hospital = await t.loginAs('hospital_admin', { level: 'institution', institutionId: 1 });
  assert.equal((await api(hospital, 'GET', '/childcare-subsidy/sync/status')).statusCode, 403);
  await runPendingJobs(t.kernel, { untilIdle: true });
});
