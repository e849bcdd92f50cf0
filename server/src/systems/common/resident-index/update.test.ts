import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { residentBody, seedChc, seedDivisions } from './test-fixture.ts';

let t: TestApp;
let admin: TestSession;
let chcId: number;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await seedDivisions(t);
  chcId = await seedChc(t, admin);
});
after(() => t.close());

async function newResident(over: Record<string, unknown> = {}) {
  const body = residentBody(over);
  const r = await t.call(admin, { method: 'POST', url: '/api/v1/residents', payload: body });
  assert.equal(r.statusCode, 201, r.body);
  return { id: r.json().id as number, body };
}
const patch = (id: number, payload: object, s: TestSession = admin) => t.call(s, { method: 'PATCH', url: `/api/v1/residents/${id}`, payload });
const version = async (id: number) => (await t.kernel.db.query<{ version: number }>('select version from person where id = $1', [id]))[0]!.version;

test('a new phone is sealed and searchable; the old one no longer finds the resident', async () => {
  const { id, body } = await newResident();
  const r = await patch(id, { phone: '13800138000', address: '湖南路 8 号' });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().phoneMasked, '138****8000');
  assert.equal(await version(id), 2);
  const found = await t.call(admin, { method: 'GET', url: '/api/v1/residents', query: { phone: '138-0013-8000' } });
  assert.equal(found.json().total, 1);
  assert.equal((await t.call(admin, { method: 'GET', url: '/api/v1/residents', query: { phone: body.phone } })).json().total, 0);
});

test('the update audit event holds masked before/after values only', async () => {
  const { id, body } = await newResident();
  assert.equal((await patch(id, { phone: '13900001111', address: '徐家汇路 1 号 2 室' })).statusCode, 200);
  const ev = (
    await t.kernel.db.query<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
      "select before, after from audit_event where action = 'resident.update' and object_id = $1",
      [String(id)],
    )
  )[0]!;
  const b = typeof ev.before === 'string' ? JSON.parse(ev.before) : ev.before;
  const a = typeof ev.after === 'string' ? JSON.parse(ev.after) : ev.after;
  assert.equal(a.phoneMasked, '139****1111');
  assert.equal(b.phoneMasked, `${body.phone.slice(0, 3)}****${body.phone.slice(-4)}`);
  assert.equal(a.version, 2);
  assert.ok(a.addressMasked && !String(a.addressMasked).includes('1 号 2 室'));
  assert.equal(a.name, undefined, 'unchanged fields stay out');
  const text = JSON.stringify(ev);
  assert.ok(!text.includes('13900001111') && !text.includes(body.phone) && !text.includes(body.idNumber));
});

test('moving to a street re-derives district, 居委 and managing centre', async () => {
  const { id } = await newResident({ residenceStreet: '310104004', residenceCommunity: null });
  const r1 = await patch(id, { residenceStreet: '310104003', residenceCommunity: '310104003001' });
  assert.equal(r1.statusCode, 200, r1.body);
  assert.equal(r1.json().managingInstitutionId, chcId);
  const r2 = await patch(id, { residenceStreet: '310101002' });
  assert.equal(r2.statusCode, 200, r2.body);
  assert.equal(r2.json().residenceDistrict, '310101');
  assert.equal(r2.json().residenceCommunity, null, 'the old 居委 does not follow');
  assert.equal(r2.json().managingInstitutionId, null);
  const bad = await patch(id, { residenceCommunity: '310104003001' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().details[0].field, 'residenceCommunity');
});

test('death: needs a date, not before birth, not in the future; alive again clears it', async () => {
  const { id } = await newResident();
  const v = await version(id);
  for (const [payload, field] of [
    [{ status: 'dead' }, 'deathDate'],
    [{ status: 'dead', deathDate: '1979-12-31' }, 'deathDate'],
    [{ status: 'dead', deathDate: `${new Date().getFullYear() + 1}-06-01` }, 'deathDate'],
    [{ deathDate: '2020-01-01' }, 'deathDate'],
  ] as const) {
    const r = await patch(id, payload);
    assert.equal(r.statusCode, 400, JSON.stringify(payload));
    assert.equal(r.json().details[0].field, field);
  }
  assert.equal(await version(id), v, 'refused changes write nothing');
  const dead = await patch(id, { status: 'dead', deathDate: '2021-08-09' });
  assert.equal(dead.statusCode, 200, dead.body);
  assert.equal(dead.json().status, 'dead');
  assert.equal(dead.json().deathDate, '2021-08-09');
  assert.equal(dead.json().age, 41);
  const alive = await patch(id, { status: 'alive' });
  assert.equal(alive.json().deathDate, null);
});

test('identity fields are not patchable; an empty patch is refused', async () => {
  const { id } = await newResident();
  const r = await patch(id, { name: '改名', idNumber: '310104198005170000' });
  assert.equal(r.statusCode, 400);
  assert.deepEqual(
    r
      .json()
      .details.map((d: { field: string }) => d.field)
      .sort(),
    ['idNumber', 'name'],
  );
  const empty = await patch(id, {});
  assert.equal(empty.statusCode, 400);
  assert.match(empty.json().details[0].message, /至少/);
  assert.equal((await patch(424242, { address: 'x' })).statusCode, 404);
});
