import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { importDivisions } from './import-divisions.ts';
import { masterDataModule } from './module.ts';

let t: TestApp;
let admin: TestSession;
let xuhui: TestSession;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  xuhui = await t.loginAs('district_admin', { level: 'district', districtCode: '310104' });
  await t.kernel.db.transaction((tx) => importDivisions(tx, 'code,name,parent_code\n310104003,天平路街道,310104\n310101002,南京东路街道,310101\n'));
});
after(() => t.close());

const post = (payload: object, s: TestSession = admin) => t.call(s, { method: 'POST', url: '/api/v1/institutions', payload });
const patch = (id: number, payload: object, s: TestSession = admin) => t.call(s, { method: 'PATCH', url: `/api/v1/institutions/${id}`, payload });
const get = (url: string, s: TestSession = admin, query?: Record<string, string>) => t.call(s, { method: 'GET', url: `/api/v1${url}`, query });

test('the city and its 16 districts are built in, and seeding again changes nothing', async () => {
  const r = await get('/regions', admin, { level: 'district' });
  assert.equal(r.statusCode, 200);
  assert.equal(r.json().items.length, 16);
  assert.deepEqual(r.json().items[0], {
    code: '310101',
    name: '黄浦区',
    level: 'district',
    parentCode: '310000',
    districtCode: '310101',
    streetCode: null,
    kind: null,
  });
  assert.ok(r.json().items.some((d: { code: string; name: string }) => d.code === '310151' && d.name === '崇明区'));
  await masterDataModule.onStart?.(t.kernel);
  const { n } = (await t.kernel.db.query<{ n: number }>("select count(*)::int as n from region where source = 'builtin'"))[0]!;
  assert.equal(n, 17);
  const streets = await get('/regions', admin, { parent: '310104' });
  assert.deepEqual(
    streets.json().items.map((s: { code: string }) => s.code),
    ['310104003'],
  );
});

test('create an institution with departments; get returns departments and branches', async () => {
  const r = await post({
    code: 'H310104001',
    name: '上海市第六人民医院',
    kind: 'city_hospital',
    level: 3,
    grade: '甲',
    category: '综合',
    districtCode: '310104',
    address: '宜山路 600 号',
    departments: [
      { code: '0101', name: '心内科' },
      { code: '0201', name: '普外科' },
    ],
  });
  assert.equal(r.statusCode, 201, r.body);
  const h = r.json();
  assert.equal(h.districtName, '徐汇区');
  assert.equal(h.ownership, '公立');
  assert.equal(h.active, true);
  assert.deepEqual(
    h.departments.map((d: { name: string }) => d.name),
    ['心内科', '普外科'],
  );
  const branch = await post({ code: 'H310104001-B1', name: '上海市第六人民医院东院', kind: 'city_hospital', level: 3, districtCode: '310115', parentId: h.id });
  assert.equal(branch.statusCode, 201, branch.body);
  assert.equal(branch.json().parentId, h.id);
  assert.equal(branch.json().parentName, '上海市第六人民医院');
  const detail = await get(`/institutions/${h.id}`);
  assert.deepEqual(
    detail.json().branches.map((b: { code: string }) => b.code),
    ['H310104001-B1'],
  );
  // One level only: a branch cannot have branches, and a 总院 cannot become a branch.
  const sub = await post({ code: 'X1', name: '分院的分院', kind: 'other', districtCode: '310115', parentId: branch.json().id });
  assert.equal(sub.statusCode, 400);
  assert.equal(sub.json().details[0].field, 'parentId');
  const other = await post({ code: 'H2', name: '另一医院', kind: 'district_hospital', districtCode: '310104' });
  const loop = await patch(h.id, { parentId: other.json().id });
  assert.equal(loop.statusCode, 400);
  assert.match(loop.json().details[0].message, /设有分院/);
  assert.equal((await patch(other.json().id, { parentId: other.json().id })).statusCode, 400);
  // List by parent and by filters.
  const list = await get('/institutions', admin, { parentId: String(h.id) });
  assert.equal(list.json().total, 1);
  const q = await get('/institutions', admin, { q: '第六人民', district: '310104' });
  assert.equal(q.json().total, 1);
  assert.equal((await get('/institutions', admin, { kind: 'city_hospital' })).json().total, 2);
});

test('validation: street in district, duplicate code 409, enums, unknown fields', async () => {
  const wrongStreet = await post({ code: 'C1', name: '错街镇', kind: 'chc', districtCode: '310104', streetCode: '310101002' });
  assert.equal(wrongStreet.statusCode, 400);
  assert.equal(wrongStreet.json().details[0].field, 'streetCode');
  assert.equal((await post({ code: 'C2', name: '天平', kind: 'chc', districtCode: '310104', streetCode: '310104003' })).statusCode, 201);
  const dup = await post({ code: 'C2', name: '重复', kind: 'chc', districtCode: '310104' });
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json().details[0].field, 'code');
  const bad = await post({ code: 'C3', name: 'x', kind: 'clinic', grade: '特', districtCode: '320101', foo: 1 });
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(
    bad
      .json()
      .details.map((d: { field: string }) => d.field)
      .sort(),
    ['districtCode', 'foo', 'grade', 'kind'],
  );
});

test('patch changes fields, upserts departments and moves staff scope keys with the district', async () => {
  const c = (await post({ code: 'M1', name: '移动医院', kind: 'district_hospital', districtCode: '310104', streetCode: '310104003' })).json();
  const pr = await t.call(admin, { method: 'POST', url: '/api/v1/practitioners', payload: { institutionId: c.id, name: '赵医生', sex: 'M' } });
  assert.equal(pr.statusCode, 201, pr.body);
  const r = await patch(c.id, { name: '移动医院（新）', districtCode: '310101', departments: [{ code: '01', name: '内科' }] });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().districtCode, '310101');
  assert.equal(r.json().streetCode, null, 'the old street does not follow to a new district');
  assert.equal(r.json().departments.length, 1);
  const [p] = await t.kernel.db.query<{ district_code: string; street_code: string | null }>(
    'select district_code, street_code from practitioner where id = $1',
    [pr.json().id],
  );
  assert.deepEqual(p, { district_code: '310101', street_code: null });
  const ev = (
    await t.kernel.db.query<{ before: unknown; after: unknown }>(
      "select before, after from audit_event where action = 'institution.update' and object_id = $1",
      [String(c.id)],
    )
  )[0]!;
  const a = typeof ev.after === 'string' ? JSON.parse(ev.after) : ev.after;
  assert.equal(a.name, '移动医院（新）');
  assert.equal(a.code, undefined);
  assert.equal((await patch(c.id, {})).statusCode, 400);
  assert.equal((await patch(99999, { name: 'x' })).statusCode, 404);
});

test('a district official manages institutions of their own district only', async () => {
  const own = await post({ code: 'XH1', name: '徐汇某中心', kind: 'chc', districtCode: '310104' }, xuhui);
  assert.equal(own.statusCode, 201, own.body);
  const foreign = await post({ code: 'HP1', name: '黄浦某中心', kind: 'chc', districtCode: '310101' }, xuhui);
  assert.equal(foreign.statusCode, 403);
  const hp = await post({ code: 'HP2', name: '黄浦另一中心', kind: 'chc', districtCode: '310101' });
  const r = await patch(hp.json().id, { name: '改名' }, xuhui);
  assert.equal(r.statusCode, 403);
  assert.equal((await get(`/institutions/${hp.json().id}`)).json().name, '黄浦另一中心');
  assert.equal((await patch(own.json().id, { districtCode: '310101' }, xuhui)).statusCode, 403, 'cannot move one out either');
  // Reads are city-wide.
  assert.equal((await get(`/institutions/${hp.json().id}`, xuhui)).statusCode, 200);
  // Without master-data.manage nothing changes.
  const doc = await t.loginAs('family_doctor');
  assert.equal((await post({ code: 'FD1', name: 'x', kind: 'chc', districtCode: '310104' }, doc)).statusCode, 403);
});
