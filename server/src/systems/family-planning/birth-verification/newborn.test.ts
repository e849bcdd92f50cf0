import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { API_PREFIX } from '../../../platform/http/mount.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { type Family, HOME, NEIGHBOUR, seedFamily, seedTask } from './newborn-fixture.ts';

// Approving the task of a newborn the resident index does not know yet: the child is registered through
// the resident-index service (其他证件 = 出生医学证明编号), linked to both parents by the 市妇幼 birth record,
// all in the approval's transaction; once only.
let t: TestApp;
let city: TestSession;
let worker: TestSession;
let neighbour: TestSession;
let family: Family;

const api = (s: TestSession, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.call(s, { method, url: `${API_PREFIX}${url}`, ...(payload ? { payload } : {}) });
const count = async (sql: string, args: unknown[]) => (await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from ${sql}`, args))[0]!.n;

before(async () => {
  t = await testApp();
  city = await t.loginAs('city_admin');
  family = await seedFamily(t, city);
  worker = await t.loginAs('community_admin', { level: 'street', districtCode: HOME.district, streetCode: HOME.street });
  neighbour = await t.loginAs('community_admin', { level: 'street', districtCode: NEIGHBOUR.district, streetCode: NEIGHBOUR.street });
});
after(() => t.close());

test('approval registers the newborn once, with the birth record linking mother and father; a second approval is refused', async () => {
  const id = await seedTask(t, family);
  const task = (
    await t.kernel.db.query<{ certificate_no: string; child_name: string; birth_date: string }>(
      'select certificate_no, child_name, birth_date::text as birth_date from fp_verify_task where id = $1',
      [id],
    )
  )[0]!;
  const people = await count('person', []);

  const r = await api(worker, 'POST', `/birth-verification/tasks/${id}/decision`, { decision: 'confirmed' });
  assert.equal(r.statusCode, 200, r.body);
  const body = r.json();
  assert.equal(body.status, 'approved');
  assert.equal(body.result.newborn.status, 'created');
  assert.match(body.result.newborn.message, /出生医学证明编号/);
  const childId = body.childPersonId;
  assert.equal(body.result.newborn.personId, childId);
  assert.equal(await count('person', []), people + 1, 'exactly one person created');

  const [child] = await t.kernel.db.query<{
    name: string;
    id_type: string;
    birth_date: string;
    sex: string;
    residence_street: string;
    hukou_district: string | null;
  }>('select name, id_type, birth_date::text as birth_date, sex, residence_street, hukou_district from person where id = $1', [childId]);
  assert.deepEqual(child, {
    name: task.child_name,
    id_type: 'other',
    birth_date: task.birth_date,
    sex: 'F',
    residence_street: HOME.street,
    hukou_district: null,
  });
  const records = await t.kernel.db.query<{
    id: number;
    mother_person_id: number;
    father_person_id: number;
    source: string;
    certificate_no: string;
    street_code: string;
  }>(
    'select id::int as id, mother_person_id::int as mother_person_id, father_person_id::int as father_person_id, source, certificate_no, street_code from fp_birth_record where child_person_id = $1',
    [childId],
  );
  assert.equal(records.length, 1, 'exactly one birth record');
  assert.deepEqual(
    { ...records[0], id: undefined },
    {
      id: undefined,
      mother_person_id: family.mother.id,
      father_person_id: family.father.id,
      source: 'mch',
      certificate_no: task.certificate_no,
      street_code: HOME.street,
    },
  );
  assert.equal(body.result.birthRecordId, records[0]!.id);
  const audited = await count(`audit_event where action = 'resident.create' and object_id = $1`, [String(childId)]);
  assert.equal(audited, 1, 'the registration is audited as a resident creation');

  // The child is now the mother's: the birth-order query finds it as her first child.
  const order = await api(worker, 'GET', `/family-planning/birth-order?personId=${childId}`);
  assert.equal(order.statusCode, 200, order.body);
  assert.equal(order.json().birthOrder, 1);

  const again = await api(worker, 'POST', `/birth-verification/tasks/${id}/decision`, { decision: 'confirmed' });
  assert.equal(again.statusCode, 409);
  assert.equal(await count('person', []), people + 1);
  assert.equal(await count('fp_birth_record where certificate_no = $1', [task.certificate_no]), 1);
});

test('re-verified and approved again: the same person and record, nothing new', async () => {
  const id = await seedTask(t, family);
  assert.equal((await api(worker, 'POST', `/birth-verification/tasks/${id}/decision`, { decision: 'confirmed' })).statusCode, 200);
  const people = await count('person', []);
  const birthRecords = await count('fp_birth_record', []);
  assert.equal((await api(worker, 'POST', `/birth-verification/tasks/${id}/reverify`, { reason: '复核出生信息' })).statusCode, 200);
  const r = await api(worker, 'POST', `/birth-verification/tasks/${id}/decision`, {
    decision: 'corrected',
    corrections: { childName: '王晓雨' },
    overrideReason: '家中已有一孩，孩次由街道另行核定',
  });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().result.newborn, null, 'the child was already linked');
  assert.equal(await count('person', []), people);
  assert.equal(await count('fp_birth_record', []), birthRecords);
});

test('corrections of an approval are what the new person carries', async () => {
  const id = await seedTask(t, family);
  const r = await api(worker, 'POST', `/birth-verification/tasks/${id}/decision`, {
    decision: 'corrected',
    corrections: { childName: '王若溪', childSex: 'M' },
  });
  assert.equal(r.statusCode, 200, r.body);
  const [p] = await t.kernel.db.query<{ name: string; sex: string }>('select name, sex from person where id = $1', [r.json().childPersonId]);
  assert.deepEqual(p, { name: '王若溪', sex: 'M' });
});

test('without the mother in the index the approval stands and the newborn is 待落户后建档', async () => {
  const id = await seedTask(t, family, { mother_person_id: null });
  const people = await count('person', []);
  const r = await api(worker, 'POST', `/birth-verification/tasks/${id}/decision`, { decision: 'confirmed', overrideReason: '母亲为外省户籍，已电话核实' });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().result.newborn.status, 'pending_hukou');
  assert.equal(r.json().result.newborn.statusTitle, '待落户后建档');
  assert.equal(r.json().childPersonId, null);
  assert.equal(await count('person', []), people);
});

test('a certificate number already registered outside the scope: rolled back to 待落户后建档, the approval still commits', async () => {
  const id = await seedTask(t, family);
  const task = (await t.kernel.db.query<{ certificate_no: string }>('select certificate_no from fp_verify_task where id = $1', [id]))[0]!;
  // Someone in another district registered a person with this number (other type) — invisible to the street.
  const other = await api(city, 'POST', '/residents', {
    idType: 'other',
    idNumber: task.certificate_no,
    name: '赵某',
    sex: 'M',
    birthDate: '2026-10-01',
    residenceDistrict: '310101',
    residenceStreet: '310101002',
  });
  assert.equal(other.statusCode, 201, other.body);
  const people = await count('person', []);
  const r = await api(worker, 'POST', `/birth-verification/tasks/${id}/decision`, { decision: 'confirmed' });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().result.newborn.status, 'pending_hukou');
  assert.match(r.json().result.newborn.message, /已登记/);
  assert.equal(await count('person', []), people);
  const after = (await t.kernel.db.query<{ status: string }>('select status from fp_verify_task where id = $1', [id]))[0]!;
  assert.equal(after.status, 'approved');
});

test('twins: the second approval registers its own child, not the sibling born the same day', async () => {
  const first = await seedTask(t, family, { birth_date: '2026-11-21', child_name: '王安', claimed_birth_order: 3 });
  const second = await seedTask(t, family, { birth_date: '2026-11-21', child_name: '王宁', claimed_birth_order: 4 });
  const a = await api(worker, 'POST', `/birth-verification/tasks/${first}/decision`, { decision: 'confirmed', overrideReason: '双胞胎，孩次由街道核定' });
  assert.equal(a.statusCode, 200, a.body);
  const b = await api(worker, 'POST', `/birth-verification/tasks/${second}/decision`, { decision: 'confirmed', overrideReason: '双胞胎，孩次由街道核定' });
  assert.equal(b.statusCode, 200, b.body);
  assert.equal(b.json().result.newborn.status, 'created');
  assert.notEqual(b.json().childPersonId, a.json().childPersonId);
  const n = (
    await t.kernel.db.query<{ n: number }>(
      'select count(distinct child_person_id)::int as n from fp_birth_record where mother_person_id = $1 and birth_date = $2',
      [family.mother.id, '2026-11-21'],
    )
  )[0]!;
  assert.equal(n.n, 2);
});

test('outside the scope or without the permission: refused, nothing created', async () => {
  const id = await seedTask(t, family);
  const people = await count('person', []);
  const r = await api(neighbour, 'POST', `/birth-verification/tasks/${id}/decision`, { decision: 'confirmed' });
  assert.equal(r.statusCode, 404);
  const auditor = await t.loginAs('auditor');
  assert.equal((await api(auditor, 'POST', `/birth-verification/tasks/${id}/decision`, { decision: 'confirmed' })).statusCode, 403);
  assert.equal(await count('person', []), people);
  const [row] = await t.kernel.db.query<{ status: string; child_person_id: number | null }>(
    'select status, child_person_id from fp_verify_task where id = $1',
    [id],
  );
  assert.deepEqual(row, { status: 'pending', child_person_id: null });
});
