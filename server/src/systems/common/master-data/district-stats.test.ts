import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { residentBody } from '../resident-index/test-fixture.ts';

let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  const post = async (url: string, payload: object) => {
    const r = await t.call(admin, { method: 'POST', url: `/api/v1${url}`, payload });
    assert.equal(r.statusCode, 201, r.body);
    return r.json();
  };
  const a = await post('/institutions', { code: 'A', name: '徐汇中心', kind: 'chc', districtCode: '310104' });
  await post('/institutions', { code: 'B', name: '黄浦中心', kind: 'chc', districtCode: '310101' });
  await post('/institutions', { code: 'C', name: '黄浦医院', kind: 'district_hospital', districtCode: '310101' });
  await post('/practitioners', { institutionId: a.id, name: '医生甲', sex: 'M' });
  for (let i = 0; i < 3; i++) await post('/residents', residentBody({ residenceStreet: null }));
  for (let i = 0; i < 2; i++) await post('/residents', residentBody({ residenceDistrict: '310101', residenceStreet: null }));
});
after(() => t.close());

const stats = async (s: TestSession) => {
  const r = await t.call(s, { method: 'GET', url: '/api/v1/master-data/district-stats' });
  assert.equal(r.statusCode, 200, r.body);
  return new Map(r.json().items.map((i: { code: string }) => [i.code, i])) as Map<
    string,
    { name: string; institutions: number; practitioners: number; residents: number }
  >;
};

test('all 16 districts with counts of institutions, practitioners and residents', async () => {
  const m = await stats(admin);
  assert.equal(m.size, 16);
  assert.deepEqual(m.get('310104'), { code: '310104', name: '徐汇区', institutions: 1, practitioners: 1, residents: 3 } as never);
  assert.deepEqual(m.get('310101'), { code: '310101', name: '黄浦区', institutions: 2, practitioners: 0, residents: 2 } as never);
  assert.equal(m.get('310151')?.residents, 0);
});

test("residents are counted inside the caller's scope; reference data stays city-wide", async () => {
  const xuhui = await t.loginAs('district_admin', { level: 'district', districtCode: '310104' });
  const m = await stats(xuhui);
  assert.equal(m.get('310104')?.residents, 3);
  assert.equal(m.get('310101')?.residents, 0, "another district's residents are not visible");
  assert.equal(m.get('310101')?.institutions, 2);
  // Any staff role may read the map.
  const expert = await t.loginAs('expert');
  const e = await stats(expert);
  assert.equal(e.get('310104')?.residents, 3, 'expert has city scope by default');
});
