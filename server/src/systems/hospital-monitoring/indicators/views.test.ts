import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { IX } from './test-fixture.ts';

let t: TestApp;
let ids: number[];
before(async () => {
  t = await testApp();
  const admin = await t.loginAs('city_admin');
  ids = (await api(admin, 'GET', '/indicators')).json().items.map((i: { id: number }) => i.id);
});
after(() => t.close());

const api = (s: TestSession, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => t.call(s, { method, url: `/api/v1${url}`, payload });
const names = async (s: TestSession) =>
  (await api(s, 'GET', '/indicators/views'))
    .json()
    .items.map((v: { name: string }) => v.name)
    .sort();

test("a saved view is its owner's; shared, it is visible inside the owner's scope only; only the owner changes it", async () => {
  const owner = await t.loginAs('district_admin', { level: 'district', districtCode: IX.districtA });
  const body = {
    name: '徐汇药占比',
    shared: true,
    indicatorIds: [ids[0], ids[1]],
    dimensions: ['institution', 'month'],
    chartType: 'bar',
    from: '2026-01-01',
    to: '2026-10-31',
  };
  const r = await api(owner, 'POST', '/indicators/views', body);
  assert.equal(r.statusCode, 201, r.body);
  const id = r.json().id;
  assert.equal(r.json().mine, true);
  await api(owner, 'POST', '/indicators/views', { ...body, name: '我的私有视图', shared: false });

  const sameDistrict = await t.loginAs('district_admin', { level: 'district', districtCode: IX.districtA });
  const hospitalThere = await t.loginAs('hospital_user', { level: 'institution', districtCode: IX.districtA, institutionId: IX.instA });
  const otherDistrict = await t.loginAs('district_admin', { level: 'district', districtCode: IX.districtB });
  const city = await t.loginAs('city_admin');
  assert.deepEqual(await names(owner), ['徐汇药占比', '我的私有视图'].sort());
  assert.deepEqual(await names(sameDistrict), ['徐汇药占比']);
  assert.deepEqual(await names(hospitalThere), ['徐汇药占比']);
  assert.deepEqual(await names(otherDistrict), []);
  assert.deepEqual(await names(city), ['徐汇药占比']);

  assert.equal((await api(sameDistrict, 'PUT', `/indicators/views/${id}`, { ...body, name: '改' })).statusCode, 403);
  assert.equal((await api(otherDistrict, 'PUT', `/indicators/views/${id}`, { ...body, name: '改' })).statusCode, 404);
  assert.equal((await api(sameDistrict, 'DELETE', `/indicators/views/${id}`)).statusCode, 403);
  const up = await api(owner, 'PUT', `/indicators/views/${id}`, { ...body, name: '徐汇药占比（折线）', chartType: 'line', shared: false });
  assert.equal(up.statusCode, 200, up.body);
  assert.deepEqual(await names(sameDistrict), []);
  assert.equal((await api(owner, 'DELETE', `/indicators/views/${id}`)).statusCode, 200);
  assert.deepEqual(await names(owner), ['我的私有视图']);
  const ex = await t.kernel.db.query<{ action: string }>("select action from audit_event where action like 'indicators.view.%' order by seq");
  assert.deepEqual([...new Set(ex.map((e) => e.action))], ['indicators.view.create', 'indicators.view.update', 'indicators.view.delete']);
});

test('views are checked: pie shows one indicator by one dimension; unknown indicators and repeated dimensions are refused', async () => {
  const u = await t.loginAs('hospital_admin', { level: 'institution', districtCode: IX.districtA, institutionId: IX.instA });
  const base = { name: '饼图', shared: false, indicatorIds: [ids[0]], dimensions: ['institution'], chartType: 'pie' };
  assert.equal((await api(u, 'POST', '/indicators/views', base)).statusCode, 201);
  let r = await api(u, 'POST', '/indicators/views', { ...base, indicatorIds: [ids[0], ids[1]] });
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().details[0].field, 'chartType');
  r = await api(u, 'POST', '/indicators/views', { ...base, chartType: 'bar', dimensions: ['month', 'month'] });
  assert.equal(r.json().details[0].field, 'dimensions');
  r = await api(u, 'POST', '/indicators/views', { ...base, indicatorIds: [987654] });
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().details[0].field, 'indicatorIds');
  r = await api(u, 'POST', '/indicators/views', { ...base, chartType: 'radar' });
  assert.equal(r.statusCode, 400);
  const doctor = await t.loginAs('family_doctor', { level: 'institution', districtCode: IX.districtA, institutionId: IX.instA });
  assert.equal((await api(doctor, 'POST', '/indicators/views', { ...base })).statusCode, 403);
});
