import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { residentBody } from '../../common/resident-index/test-fixture.ts';
import { addDays, shanghaiToday } from '../family-doctor/rules.ts';
import { type Fd, fdApp, IDS } from '../family-doctor/test-fixture.ts';

let fd: Fd;
let today: string;
before(async () => {
  fd = await fdApp();
  today = shanghaiToday();
});
after(() => fd.close());

const register = (body: object, s = fd.admin) => fd.t.call(s, { method: 'POST', url: '/api/v1/key-populations/conditions', payload: body });
const tagsOf = async (personId: number, s = fd.admin) => {
  const r = await fd.t.call(s, { method: 'GET', url: `/api/v1/key-populations/residents/${personId}` });
  assert.equal(r.statusCode, 200, r.body);
  return r.json() as { tags: { tag: string }[]; conditions: { id: number; kind: string }[] };
};

test('registering a condition tags the resident at once; closing it removes the tag', async () => {
  const p = await fd.resident('1970-03-01');
  const r = await register({ personId: p, kind: 'hypertension', registeredOn: addDays(today, -30) });
  assert.equal(r.statusCode, 201, r.body);
  assert.deepEqual(
    r.json().tags.map((t: { tag: string }) => t.tag),
    ['hypertension'],
  );
  assert.equal(r.json().condition.kindTitle, '高血压');
  const id = r.json().condition.id;
  const end = await fd.t.call(fd.admin, { method: 'POST', url: `/api/v1/key-populations/conditions/${id}/end`, payload: { endsOn: addDays(today, -1) } });
  assert.equal(end.statusCode, 200, end.body);
  assert.deepEqual(end.json().tags, [], 'a closed registration no longer tags');
  assert.equal((await tagsOf(p)).conditions.length, 1, 'the registration itself is kept');
});

test('pregnancy tags women only, and only while in force', async () => {
  const wr = await fd.t.call(fd.admin, { method: 'POST', url: '/api/v1/residents', payload: residentBody({}, '1995-06-01', false) });
  const woman: number = wr.json().id;
  const man = await fd.resident('1995-06-02');
  const w = await register({ personId: woman, kind: 'pregnancy', registeredOn: addDays(today, -60), endsOn: addDays(today, 220) });
  assert.equal(w.statusCode, 201, w.body);
  const m = await register({ personId: man, kind: 'pregnancy', registeredOn: addDays(today, -60), endsOn: addDays(today, 220) });
  assert.equal(m.statusCode, 201, m.body);
  assert.deepEqual(
    (await tagsOf(woman)).tags.map((t) => t.tag),
    ['maternal'],
  );
  assert.deepEqual(
    (await tagsOf(man)).tags.map((t) => t.tag),
    [],
  );
  const old = await register({ personId: woman, kind: 'postpartum', registeredOn: addDays(today, -400), endsOn: addDays(today, -358) });
  assert.equal(old.statusCode, 201);
  assert.deepEqual(
    (await tagsOf(woman)).tags.map((t) => t.tag),
    ['maternal'],
    'an ended postpartum period adds nothing',
  );
});

test('bad input is refused with field messages', async () => {
  const p = await fd.resident();
  const future = await register({ personId: p, kind: 'diabetes', registeredOn: addDays(today, 3) });
  assert.equal(future.statusCode, 400);
  assert.equal(future.json().details[0].field, 'registeredOn');
  assert.match(future.json().details[0].message, /不能晚于今天/);
  const order = await register({ personId: p, kind: 'diabetes', registeredOn: addDays(today, -3), endsOn: addDays(today, -10) });
  assert.equal(order.statusCode, 400);
  assert.equal(order.json().details[0].field, 'endsOn');
  const kind = await register({ personId: p, kind: 'flu', registeredOn: today });
  assert.equal(kind.statusCode, 400);
});

test('scope: another district, another doctor and a role without the permission are refused', async () => {
  const p = await fd.resident('1950-01-01');
  assert.equal((await fd.sign(p)).statusCode, 201);
  const body = { personId: p, kind: 'copd', registeredOn: addDays(today, -5) };
  const outside = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  const r1 = await register(body, outside);
  assert.equal(r1.statusCode, 404);
  assert.match(r1.json().message, /不在您的数据权限范围内/);
  const otherDoctor = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcB, practitionerId: IDS.docB1 });
  assert.equal((await register(body, otherDoctor)).statusCode, 404);
  assert.deepEqual((await tagsOf(p, otherDoctor)).conditions, [], 'nothing is shown outside the scope');
  const auditor = await fd.t.loginAs('auditor');
  assert.equal((await register(body, auditor)).statusCode, 403);
  const ownDoctor = await fd.t.loginAs('family_doctor', { level: 'own', districtCode: '310104', institutionId: IDS.chcA, practitionerId: IDS.docA1 });
  const ok = await register(body, ownDoctor);
  assert.equal(ok.statusCode, 201, ok.body);
  assert.ok((await tagsOf(p, ownDoctor)).tags.some((t) => t.tag === 'copd'));
});
