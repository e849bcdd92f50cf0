import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AuditBuffer } from '../../../platform/audit/event.ts';
import { sm3Hex } from '../../../platform/crypto/index.ts';
import { smsGatewayAdapter } from '../../../platform/integration/adapters/sms-gateway.ts';
import { dispatchPending } from '../../../platform/integration/dispatcher.ts';
import { type Simulator, startSimulator } from '../../../platform/integration/simulators/simulator.ts';
import { smsGatewaySimulator } from '../../../platform/integration/simulators/systems/sms-gateway.ts';
import { DEFAULT_CLIENT_ID } from '../../../platform/integration/systems.ts';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { issueLink, parseLink } from './confirm-link.ts';
import { SMS_SYSTEM, sendConfirmations } from './send-sms.ts';
import { WORLD_AS_OF, worldWithBirths } from './test-world.ts';

let t: TestApp;
let admin: TestSession;
let sim: Simulator;
const SECRET = 'sms-test-secret';
before(async () => {
  t = await testApp();
  await worldWithBirths(t, 12_000);
  admin = await t.loginAs('city_admin');
  const r = await api(admin, 'POST', '/childcare-subsidy/screenings', { mode: 'full', asOf: WORLD_AS_OF });
  assert.equal(r.statusCode, 201, r.body);
  await runPendingJobs(t.kernel, { untilIdle: true });
  sim = await startSimulator(smsGatewaySimulator, { clients: { [DEFAULT_CLIENT_ID]: { secret: SECRET } } });
  t.kernel.adapters.use(smsGatewayAdapter({ baseUrl: sim.url, secret: SECRET, timeoutMs: 10_000 }));
});
after(async () => {
  await sim?.stop();
  await t.close();
});

const api = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: object) => t.call(s, { method, url: `/api/v1${url}`, payload });
const pub = (method: 'GET' | 'POST', token: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1/public/subsidy/confirm/${encodeURIComponent(token)}`, payload });
const mac = (m: string, d: string) => t.kernel.keys.blindIndex(m, d);
const count = async (sql: string, p: unknown[] = []) => (await t.kernel.db.query<{ n: number }>(sql, p))[0]!.n;

/** Tokens by application id, read from the SMS texts the gateway simulator received. */
const tokens = new Map<number, string>();

test('link tokens: round trip; a changed id, expiry, random part or signature is refused', () => {
  const l = issueLink(mac, 42, new Date('2026-10-01T00:00:00Z'));
  const p = parseLink(mac, l.token);
  assert.ok(p.ok);
  assert.equal(p.applicationId, 42);
  assert.equal(p.digest, l.digest);
  assert.equal(p.expiresAt.toISOString(), '2026-10-08T00:00:00.000Z');
  const [id, exp, rnd, sig] = l.token.split('.');
  for (const bad of [
    `43.${exp}.${rnd}.${sig}`,
    `${id}.${Number(exp) + 86400}.${rnd}.${sig}`,
    `${id}.${exp}.${rnd!.replace(/^./, rnd![0] === 'A' ? 'B' : 'A')}.${sig}`,
    `${id}.${exp}.${rnd}.${sig!.replace(/^./, sig![0] === '0' ? '1' : '0')}`,
    'garbage',
    '',
  ]) {
    assert.equal(parseLink(mac, bad).ok, false, bad);
  }
  assert.equal(parseLink((m, d) => `0${mac(m, d)}`, l.token).ok, false, 'another key');
});

test('the SMS message is written in the same transaction as the applications: a rollback takes both away', async () => {
  await assert.rejects(
    t.kernel.db.transaction(async (tx) => {
      const r = await sendConfirmations(tx, t.kernel.keys, new AuditBuffer(), 'tester');
      assert.ok(r.sent > 0);
      throw new Error('rollback');
    }),
    /rollback/,
  );
  assert.equal(await count('select count(*)::int as n from cs_application'), 0);
  assert.equal(await count(`select count(*)::int as n from outbox_message where system = $1`, [SMS_SYSTEM]), 0);
});

test('发送确认短信: one application (sms_sent) and one SMS per complete pre-filled child; only the digest is stored; sending again adds nothing', async () => {
  const latest = (
    await t.kernel.db.query<{ id: number }>(`select id::int as id from cs_screening_run where status = 'succeeded' order by id desc limit 1`)
  )[0]!;
  const complete = await count('select count(*)::int as n from cs_candidate where run_id = $1 and eligible and prefill_complete', [latest.id]);
  assert.ok(complete >= 10, `only ${complete} complete`);
  const r = await api(admin, 'POST', '/childcare-subsidy/applications/send-sms', {});
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().sent, complete);
  assert.equal(await count(`select count(*)::int as n from cs_application where status = 'sms_sent' and token_digest is not null`), complete);
  assert.equal(
    await count(`select count(*)::int as n from outbox_message m join cs_application a on a.outbox_message_id = m.id where m.system = $1`, [SMS_SYSTEM]),
    complete,
  );
  assert.equal(await count(`select count(*)::int as n from audit_event where action = 'childcare-subsidy.applications.send-sms'`), 1);
  assert.equal((await api(admin, 'POST', '/childcare-subsidy/applications/send-sms', {})).json().sent, 0);

  const s = await dispatchPending(t.kernel, { systems: [SMS_SYSTEM] });
  assert.equal(s.delivered, complete);
  assert.equal(sim.received.length, complete);
  for (const m of sim.received) {
    const { text, phone } = m.body as { text: string; phone: string };
    assert.match(phone, /^1[3-9]\d{9}$/);
    const token = /\/m\/subsidy\/confirm\/([^\s]+)/.exec(text)?.[1] as string;
    const p = parseLink(mac, token);
    assert.ok(p.ok, text);
    tokens.set(p.applicationId, token);
    const row = (await t.kernel.db.query<{ token_digest: string }>('select token_digest from cs_application where id = $1', [p.applicationId]))[0]!;
    assert.equal(row.token_digest, sm3Hex(token.split('.')[2]!));
    assert.ok(!JSON.stringify(row).includes(token.split('.')[2]!));
  }
  assert.equal(tokens.size, complete);
  // The outbox holds the template, its parameters and the sealed phone: no message text, no phone in clear.
  const payloads = await t.kernel.db.query<{ payload: Record<string, unknown> }>('select payload from outbox_message where system = $1', [SMS_SYSTEM]);
  const phones = sim.received.map((m) => (m.body as { phone: string }).phone);
  for (const { payload } of payloads) {
    assert.deepEqual(Object.keys(payload).sort(), ['params', 'phoneSealed', 'ref', 'template']);
    assert.deepEqual(Object.keys(payload.params as object).sort(), ['amountYuan', 'childName', 'expiresOn', 'token']);
    assert.ok(phones.every((ph) => !JSON.stringify(payload).includes(ph)));
    assert.match(t.kernel.keys.decryptField(payload.phoneSealed as string), /^1[3-9]\d{9}$/);
  }
});

const appIds = () => [...tokens.keys()].sort((a, b) => a - b);

test('the public page shows only the masked summary; confirm once → approved; again → 409; audited with the parent as actor', async () => {
  const id = appIds()[0];
  const token = tokens.get(id!) as string;
  const v = await pub('GET', token);
  assert.equal(v.statusCode, 200, v.body);
  assert.deepEqual(Object.keys(v.json()).sort(), [
    'amountYuan',
    'bankAccountMasked',
    'birthOrder',
    'childNameMasked',
    'confirmed',
    'expiresAt',
    'status',
    'statusTitle',
  ]);
  assert.match(v.json().childNameMasked, /\*/);
  const c = await pub('POST', token, { confirm: true, bankAccount: '6222 0212 3456 7890 123' });
  assert.equal(c.statusCode, 200, c.body);
  assert.equal(c.json().status, 'approved');
  assert.equal(c.json().bankAccountMasked, '6222 **** **** 0123');
  const again = await pub('POST', token, { confirm: true });
  assert.equal(again.statusCode, 409);
  assert.match(again.json().message, /仅可使用一次/);
  assert.equal((await pub('GET', token)).json().confirmed, true);
  const a = (
    await t.kernel.db.query<{ actor_username: string; actor_role: string }>(
      `select actor_username, actor_role from audit_event where action = 'childcare-subsidy.confirm' and object_id = $1`,
      [String(id)],
    )
  )[0]!;
  assert.match(a.actor_username, /^家长:/);
  assert.equal(a.actor_role, 'applicant');
  const row = (await t.kernel.db.query<{ bank_account_enc: string }>('select bank_account_enc from cs_application where id = $1', [id]))[0]!;
  assert.equal(t.kernel.keys.decryptField(row.bank_account_enc), '6222021234567890123');
});

test('forged, tampered and expired links are refused and change nothing', async () => {
  const [, id2] = appIds();
  const token = tokens.get(id2!) as string;
  const [, exp, rnd, sig] = token.split('.');
  const other = appIds()[2];
  for (const bad of [`${other}.${exp}.${rnd}.${sig}`, `${id2}.${Number(exp) + 999}.${rnd}.${sig}`, '123', 'x'.repeat(90)]) {
    assert.equal((await pub('GET', bad)).statusCode, 404, bad);
    assert.equal((await pub('POST', bad, { confirm: true })).statusCode, 404, bad);
  }
  // A correctly signed link for an application whose stored digest differs (e.g. re-sent) is unknown.
  const forged = issueLink(mac, other!);
  assert.equal((await pub('GET', forged.token)).statusCode, 404);
  await t.kernel.db.query(`update cs_application set token_expires_at = now() - interval '1 minute' where id = $1`, [id2]);
  const g = await pub('GET', token);
  assert.equal(g.statusCode, 410);
  assert.match(g.json().message, /过期/);
  assert.equal((await pub('POST', token, { confirm: true, bankAccount: '6222021234567890123' })).statusCode, 410);
  assert.equal(await count(`select count(*)::int as n from cs_application where id = $1 and status = 'sms_sent' and confirmed_at is null`, [id2]), 1);
  assert.equal((await pub('POST', tokens.get(appIds()[3]!) as string, { confirm: false })).statusCode, 400);
});

test('failed auto-approval rules send the application to manual review with its reasons; admins approve or reject with a reason', async () => {
  const [, , a3, a4, a5] = appIds();
  const noBank = await pub('POST', tokens.get(a3!) as string, { confirm: true });
  assert.equal(noBank.json().status, 'manual_review');
  assert.deepEqual(noBank.json().reviewReasons, ['未提供发放银行账户']);
  await t.kernel.db.query('update cs_child set parents_verified = false where person_id = (select child_person_id from cs_application where id = $1)', [a4]);
  const unverified = await pub('POST', tokens.get(a4!) as string, { confirm: true, bankAccount: '6222021234567890' });
  assert.equal(unverified.json().status, 'manual_review');
  const r4 = (await t.kernel.db.query<{ review_reasons: string[] }>('select review_reasons from cs_application where id = $1', [a4]))[0]!;
  assert.deepEqual(r4.review_reasons, ['parents_unverified']);

  const queue = await api(admin, 'GET', '/childcare-subsidy/applications?status=manual_review');
  assert.equal(queue.statusCode, 200, queue.body);
  assert.deepEqual(
    queue
      .json()
      .items.map((x: { id: number }) => x.id)
      .sort(),
    [a3, a4].sort(),
  );
  assert.equal(queue.json().byStatus.manual_review, 2);

  const ok = await api(admin, 'POST', `/childcare-subsidy/applications/${a3}/review`, { decision: 'approve', reason: '已电话核实银行账户' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().status, 'approved');
  assert.equal(ok.json().decisionNote, '已电话核实银行账户');
  const no = await api(admin, 'POST', `/childcare-subsidy/applications/${a4}/review`, { decision: 'reject', reason: '父母信息核验未通过' });
  assert.equal(no.json().status, 'rejected');
  const twice = await api(admin, 'POST', `/childcare-subsidy/applications/${a4}/review`, { decision: 'approve', reason: '再次' });
  assert.equal(twice.statusCode, 409);
  assert.match(twice.json().message, /审核未通过/);
  assert.equal((await api(admin, 'POST', `/childcare-subsidy/applications/${a5}/review`, { decision: 'approve', reason: '未确认' })).statusCode, 409);
  assert.equal(await count(`select count(*)::int as n from audit_event where action = 'childcare-subsidy.application.review'`), 2);
});

test('scope: a district admin sees and reviews only its own district’s applications', async () => {
  const d = (
    await t.kernel.db.query<{ d: string; n: number }>('select district_code as d, count(*)::int as n from cs_application group by 1 order by 2 desc limit 1')
  )[0]!;
  const total = await count('select count(*)::int as n from cs_application');
  assert.ok(total > d.n, 'applications in more than one district');
  const official = await t.loginAs('district_admin', { level: 'district', districtCode: d.d });
  const list = await api(official, 'GET', '/childcare-subsidy/applications?pageSize=100');
  assert.equal(list.statusCode, 200, list.body);
  assert.equal(list.json().total, d.n);
  assert.ok(list.json().items.every((x: { districtCode: string }) => x.districtCode === d.d));
  const foreign = (await t.kernel.db.query<{ id: number }>(`select id::int as id from cs_application where district_code <> $1 limit 1`, [d.d]))[0]!;
  await t.kernel.db.query(`update cs_application set status = 'manual_review' where id = $1`, [foreign.id]);
  const r = await api(official, 'POST', `/childcare-subsidy/applications/${foreign.id}/review`, { decision: 'approve', reason: '越权' });
  assert.equal(r.statusCode, 404);
  // A district admin's bulk send reaches only its district (nothing left to send here).
  assert.equal((await api(official, 'POST', '/childcare-subsidy/applications/send-sms', {})).json().sent, 0);
});
