import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { residentBody, seedDivisions } from './test-fixture.ts';

let t: TestApp;
let admin: TestSession;
let body: ReturnType<typeof residentBody>;
let id: number;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await seedDivisions(t);
  body = residentBody({ insuranceCardNo: 'S0001234567', insuredPlace: '310000' });
  const r = await t.call(admin, { method: 'POST', url: '/api/v1/residents', payload: body });
  assert.equal(r.statusCode, 201, r.body);
  id = r.json().id;
});
after(() => t.close());

const reveal = (payload: object, s: TestSession = admin, rid = id) => t.call(s, { method: 'POST', url: `/api/v1/residents/${rid}/reveal`, payload });

test('GET /residents/:id returns the masked resident and records a read', async () => {
  const r = await t.call(admin, { method: 'GET', url: `/api/v1/residents/${id}` });
  assert.equal(r.statusCode, 200);
  assert.equal(r.json().id, id);
  assert.equal(r.json().idNumber, undefined);
  const ev = (
    await t.kernel.db.query<Record<string, unknown>>("select * from audit_event where action = 'resident.view' and object_id = $1", [String(id)])
  )[0]!;
  assert.equal(ev.kind, 'read');
  assert.equal(ev.object_type, 'person');
  assert.equal(ev.actor_username, admin.username);
  assert.equal((await t.call(admin, { method: 'GET', url: '/api/v1/residents/999999' })).statusCode, 404);
});

test('reveal returns plaintext and writes a resident.reveal audit event with the reason and no plaintext', async () => {
  const r = await reveal({ reason: '家庭医生签约核对身份' });
  assert.equal(r.statusCode, 200, r.body);
  const p = r.json();
  assert.equal(p.idNumber, body.idNumber);
  assert.equal(p.phone, body.phone);
  assert.equal(p.address, body.address);
  assert.equal(p.insuranceCardNo, 'S0001234567');
  assert.equal(p.idNumberMasked.slice(-4), body.idNumber.slice(-4));
  const events = await t.kernel.db.query<Record<string, unknown>>("select * from audit_event where action = 'resident.reveal' and object_id = $1", [
    String(id),
  ]);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.kind, 'read');
  assert.equal(events[0]!.note, '家庭医生签约核对身份');
  assert.equal(events[0]!.actor_id, admin.userId);
  // Nothing in the whole log holds the number or phone in clear.
  const all = JSON.stringify(await t.kernel.db.query('select * from audit_event'));
  assert.ok(!all.includes(body.idNumber), 'ID number in the audit log');
  assert.ok(!all.includes(body.phone), 'phone in the audit log');
});

test('reveal needs a reason of 1–200 characters', async () => {
  for (const payload of [{}, { reason: '' }, { reason: '   ' }, { reason: '因'.repeat(201) }]) {
    const r = await reveal(payload);
    assert.equal(r.statusCode, 400, JSON.stringify(payload));
    assert.equal(r.json().details[0].field, 'reason');
  }
  assert.equal((await reveal({ reason: '因'.repeat(200) })).statusCode, 200);
});

test('reveal needs resident-index.reveal: a hospital user may search but not reveal', async () => {
  const hu = await t.loginAs('hospital_user');
  assert.equal((await t.call(hu, { method: 'GET', url: `/api/v1/residents/${id}` })).statusCode, 200);
  assert.equal((await reveal({ reason: '查看' }, hu)).statusCode, 403);
});

test('an unknown resident cannot be revealed', async () => {
  assert.equal((await reveal({ reason: '查看' }, admin, 987654)).statusCode, 404);
});
