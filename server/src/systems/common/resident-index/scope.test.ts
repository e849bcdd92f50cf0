import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { residentBody, seedDivisions } from './test-fixture.ts';

/** Row-level security on person: a district official works only with residents of that district. */
let t: TestApp;
let admin: TestSession;
let xuhui: TestSession;
let huangpu: { id: number; body: ReturnType<typeof residentBody> };
let own: { id: number; body: ReturnType<typeof residentBody> };
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await seedDivisions(t);
  xuhui = await t.loginAs('district_admin', { level: 'district', districtCode: '310104' });
  const hb = residentBody({ name: '黄浦居民', residenceDistrict: '310101', residenceStreet: '310101002' });
  const r1 = await t.call(admin, { method: 'POST', url: '/api/v1/residents', payload: hb });
  huangpu = { id: r1.json().id, body: hb };
  const ob = residentBody({ name: '徐汇居民' });
  const r2 = await t.call(xuhui, { method: 'POST', url: '/api/v1/residents', payload: ob });
  assert.equal(r2.statusCode, 201, r2.body);
  own = { id: r2.json().id, body: ob };
});
after(() => t.close());

const get = (s: TestSession, url: string, query?: Record<string, string>) => t.call(s, { method: 'GET', url, query });

test('a 徐汇 official cannot find a 黄浦 resident by any key', async () => {
  assert.equal((await get(xuhui, '/api/v1/residents', { idNumber: huangpu.body.idNumber })).json().total, 0);
  assert.equal((await get(xuhui, '/api/v1/residents', { phone: huangpu.body.phone })).json().total, 0);
  assert.equal((await get(xuhui, '/api/v1/residents', { name: '黄浦居民', district: '310101' })).json().total, 0);
  assert.equal((await get(xuhui, '/api/v1/residents', { name: '黄浦', district: '310101', fuzzy: 'true' })).json().total, 0);
  // …while the city sees them, and the official sees their own.
  assert.equal((await get(admin, '/api/v1/residents', { idNumber: huangpu.body.idNumber })).json().total, 1);
  assert.equal((await get(xuhui, '/api/v1/residents', { idNumber: own.body.idNumber })).json().total, 1);
});

test('nor read, reveal or update one (404), and the row stays unchanged', async () => {
  const [before] = await t.kernel.db.query('select * from person where id = $1', [huangpu.id]);
  assert.equal((await get(xuhui, `/api/v1/residents/${huangpu.id}`)).statusCode, 404);
  const rv = await t.call(xuhui, { method: 'POST', url: `/api/v1/residents/${huangpu.id}/reveal`, payload: { reason: '核对' } });
  assert.equal(rv.statusCode, 404);
  assert.equal(rv.json().idNumber, undefined);
  const up = await t.call(xuhui, {
    method: 'PATCH',
    url: `/api/v1/residents/${huangpu.id}`,
    payload: { phone: '13000000000', status: 'dead', deathDate: '2024-01-01' },
  });
  assert.equal(up.statusCode, 404);
  const [afterRow] = await t.kernel.db.query('select * from person where id = $1', [huangpu.id]);
  assert.deepEqual(afterRow, before);
  const reveals = await t.kernel.db.query("select 1 from audit_event where action = 'resident.reveal' and object_id = $1", [String(huangpu.id)]);
  assert.equal(reveals.length, 0);
});

test('nor register a resident outside the district, nor move one out of it', async () => {
  const r = await t.call(xuhui, {
    method: 'POST',
    url: '/api/v1/residents',
    payload: residentBody({ residenceDistrict: '310101', residenceStreet: '310101013' }),
  });
  assert.equal(r.statusCode, 403, r.body);
  const mv = await t.call(xuhui, { method: 'PATCH', url: `/api/v1/residents/${own.id}`, payload: { residenceStreet: '310101013' } });
  assert.equal(mv.statusCode, 403, mv.body);
  const row = (await t.kernel.db.query<{ residence_district: string }>('select residence_district from person where id = $1', [own.id]))[0]!;
  assert.equal(row.residence_district, '310104');
});

test('inside the district everything works', async () => {
  assert.equal((await get(xuhui, `/api/v1/residents/${own.id}`)).statusCode, 200);
  const rv = await t.call(xuhui, { method: 'POST', url: `/api/v1/residents/${own.id}/reveal`, payload: { reason: '核对' } });
  assert.equal(rv.json().idNumber, own.body.idNumber);
  assert.equal((await t.call(xuhui, { method: 'PATCH', url: `/api/v1/residents/${own.id}`, payload: { address: '新地址' } })).statusCode, 200);
});
