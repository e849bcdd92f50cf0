import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { residentBody, seedDivisions } from './test-fixture.ts';

let t: TestApp;
let admin: TestSession;
const people: { id: number; idNumber: string; phone: string; name: string }[] = [];
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await seedDivisions(t);
  for (const name of ['王小明', '王小', '王大伟', '李小明']) {
    const b = residentBody({ name });
    const r = await t.call(admin, { method: 'POST', url: '/api/v1/residents', payload: b });
    assert.equal(r.statusCode, 201, r.body);
    people.push({ id: r.json().id, idNumber: b.idNumber, phone: b.phone, name });
  }
  // Same name in another district.
  const other = residentBody({ name: '王小明', residenceDistrict: '310101', residenceStreet: '310101002' });
  assert.equal((await t.call(admin, { method: 'POST', url: '/api/v1/residents', payload: other })).statusCode, 201);
});
after(() => t.close());

const search = (query: Record<string, string>, s: TestSession = admin) => t.call(s, { method: 'GET', url: '/api/v1/residents', query });

test('by identity number (blind index), however it is typed', async () => {
  const p = people[0]!;
  const r = await search({ idNumber: ` ${p.idNumber.toLowerCase()} ` });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().total, 1);
  assert.equal(r.json().items[0].id, p.id);
  assert.equal(r.json().items[0].idNumberMasked.length, 18);
  assert.equal((await search({ idNumber: '110101199001011234' })).json().total, 0);
});

test('by phone (blind index)', async () => {
  const p = people[2]!;
  const r = await search({ phone: p.phone });
  assert.equal(r.json().total, 1);
  assert.equal(r.json().items[0].name, '王大伟');
});

test('by name + district: exact or prefix, exact match first, paginated with total', async () => {
  const r = await search({ name: '王小', district: '310104' });
  assert.equal(r.statusCode, 200);
  assert.equal(r.json().total, 2);
  assert.deepEqual(
    r.json().items.map((i: { name: string }) => i.name),
    ['王小', '王小明'],
  );
  const page2 = await search({ name: '王', district: '310104', page: '2', pageSize: '2' });
  assert.equal(page2.json().total, 3);
  assert.equal(page2.json().items.length, 1);
  assert.equal((await search({ name: '王小明', district: '310101' })).json().total, 1);
  assert.equal((await search({ name: '%', district: '310104' })).json().total, 0, 'LIKE wildcards are literal');
});

test('fuzzy name search uses trigram similarity', async () => {
  const r = await search({ name: '小明', district: '310104', fuzzy: 'true' });
  assert.equal(r.statusCode, 200, r.body);
  const names = r.json().items.map((i: { name: string }) => i.name);
  assert.ok(names.includes('王小明') && names.includes('李小明'), names.join());
  assert.equal((await search({ name: '小明', district: '310104' })).json().total, 0);
});

test('exactly one key; a name needs a district', async () => {
  const none = await search({});
  assert.equal(none.statusCode, 400);
  assert.match(none.json().message, /证件号码/);
  assert.equal((await search({ idNumber: people[0]!.idNumber, phone: people[0]!.phone })).statusCode, 400);
  const noDistrict = await search({ name: '王小明' });
  assert.equal(noDistrict.statusCode, 400);
  assert.equal(noDistrict.json().details[0].field, 'district');
  assert.equal((await search({ name: '王', district: '320101' })).statusCode, 400);
  assert.equal((await search({ name: '王', district: '310104', pageSize: '101' })).statusCode, 400);
});

test('a search is audited without the key that was searched', async () => {
  await search({ idNumber: people[1]!.idNumber });
  const rows = await t.kernel.db.query<Record<string, unknown>>("select * from audit_event where action = 'resident.search' order by seq desc limit 1");
  assert.equal(rows[0]!.kind, 'read');
  assert.match(String(rows[0]!.note), /^idNumber: 1$/);
  assert.ok(!JSON.stringify(rows[0]).includes(people[1]!.idNumber));
});

test('roles without resident-index.read cannot search', async () => {
  const expert = await t.loginAs('expert');
  assert.equal((await search({ phone: people[0]!.phone }, expert)).statusCode, 403);
});
