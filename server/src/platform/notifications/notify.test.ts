import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../test/harness.ts';
import { notifyRoles, notifyUsers } from './notify.ts';

let t: TestApp;
let city: TestSession;
let pudong: TestSession;
let huangpu: TestSession;
let doctor: TestSession;
let otherDoctor: TestSession;

before(async () => {
  t = await testApp();
  city = await t.loginAs('city_admin');
  pudong = await t.loginAs('district_admin', { level: 'district', districtCode: '310115' });
  huangpu = await t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  doctor = await t.loginAs('family_doctor', { level: 'own', practitionerId: 11 });
  otherDoctor = await t.loginAs('family_doctor', { level: 'own', practitionerId: 12 });
});
after(() => t.close());

const list = async (s: TestSession, query = '') =>
  (await t.call(s, { method: 'GET', url: `/api/v1/notifications${query}` })).json() as {
    unread: number;
    items: { id: number; title: string; link: string | null }[];
  };

test('a role notification reaches the users whose scope covers the target, once per key', async () => {
  const n = { kind: 'subsidy.funnel-alert', title: '浦东新区短信发送失败率 12%', link: '/family-planning/childcare-subsidy', key: '2026-11-26:310115' };
  assert.equal(await t.kernel.db.transaction((tx) => notifyRoles(tx, ['city_admin', 'district_admin'], { district: '310115' }, n)), 2);
  // A re-run of the same alert adds nothing.
  assert.equal(await t.kernel.db.transaction((tx) => notifyRoles(tx, ['city_admin', 'district_admin'], { district: '310115' }, n)), 0);
  assert.deepEqual(
    (await list(pudong)).items.map((i) => i.title),
    [n.title],
  );
  assert.deepEqual(
    (await list(city)).items.map((i) => i.title),
    [n.title],
  );
  assert.equal((await list(huangpu)).items.length, 0, 'another district sees nothing');
  assert.equal((await list(doctor)).items.length, 0, 'a role not named sees nothing');
});

test('a doctor gets reminders for their own patients only; marking read is per user', async () => {
  const created = await t.kernel.db.transaction((tx) =>
    notifyRoles(tx, ['family_doctor'], { practitionerId: 11 }, { kind: 'fd.inpatient-admission', title: '签约居民张某某入院' }),
  );
  assert.equal(created, 1);
  const mine = await list(doctor);
  assert.equal(mine.unread, 1);
  const id = mine.items[0]?.id;
  assert.ok(id);
  // Someone else's notification does not exist for another user.
  assert.equal(
    (await t.call(otherDoctor, { method: 'POST', url: `/api/v1/notifications/${id}/read`, headers: { 'x-csrf-token': otherDoctor.csrf } })).statusCode,
    404,
  );
  const r = await t.call(doctor, { method: 'POST', url: `/api/v1/notifications/${id}/read`, headers: { 'x-csrf-token': doctor.csrf } });
  assert.equal(r.statusCode, 200);
  assert.equal((await list(doctor)).unread, 0);
  assert.equal((await list(doctor, '?unread=true')).items.length, 0);
});

test('direct user notifications skip disabled accounts; read-all clears the count', async () => {
  await t.kernel.db.query('update app_user set disabled = true where id = $1', [otherDoctor.userId]);
  const n = await t.kernel.db.transaction((tx) => notifyUsers(tx, [huangpu.userId, otherDoctor.userId], { kind: 'system.test', title: '测试通知' }));
  assert.equal(n, 1);
  await t.kernel.db.transaction((tx) => notifyUsers(tx, [huangpu.userId], { kind: 'system.test', title: '第二条' }));
  assert.equal((await list(huangpu)).unread, 2);
  const r = await t.call(huangpu, { method: 'POST', url: '/api/v1/notifications/read-all', headers: { 'x-csrf-token': huangpu.csrf } });
  assert.deepEqual(r.json(), { ok: true, marked: 2 });
  assert.equal((await list(huangpu)).unread, 0);
});

test('bad input is refused with a field message, bad notifications by code are refused loudly', async () => {
  const r = await t.call(city, { method: 'GET', url: '/api/v1/notifications?limit=0' });
  assert.equal(r.statusCode, 400);
  await assert.rejects(
    t.kernel.db.transaction((tx) => notifyUsers(tx, [city.userId], { kind: 'Bad Kind', title: 'x' })),
    /bad kind/,
  );
  await assert.rejects(
    t.kernel.db.transaction((tx) => notifyUsers(tx, [city.userId], { kind: 'a.b', title: 'x', link: 'http://evil' })),
    /console path/,
  );
});
