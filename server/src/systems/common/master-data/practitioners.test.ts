import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { importDivisions } from './import-divisions.ts';
import { makeResidentId, withBadCheckDigit } from './test-support.ts';

let t: TestApp;
let admin: TestSession;
let chc: { id: number; departments: { id: number }[] };
let hospital: number;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await t.kernel.db.transaction((tx) => importDivisions(tx, 'code,name,parent_code\n310104003,天平路街道,310104\n'));
  const r = await t.call(admin, {
    method: 'POST',
    url: '/api/v1/institutions',
    payload: {
      code: 'CHC1',
      name: '天平社区卫生服务中心',
      kind: 'chc',
      districtCode: '310104',
      streetCode: '310104003',
      departments: [{ code: 'QK', name: '全科' }],
    },
  });
  chc = r.json();
  hospital = (
    await t.call(admin, {
      method: 'POST',
      url: '/api/v1/institutions',
      payload: { code: 'H1', name: '黄浦医院', kind: 'district_hospital', districtCode: '310101' },
    })
  ).json().id;
});
after(() => t.close());

const post = (payload: object, s: TestSession = admin) => t.call(s, { method: 'POST', url: '/api/v1/practitioners', payload });
const list = (query: Record<string, string>) => t.call(admin, { method: 'GET', url: '/api/v1/practitioners', query });

test('create with an ID number: sealed, blind-indexed, masked; scope keys copied from the institution', async () => {
  const idNumber = makeResidentId('310104', '1978-09-10', '031');
  const r = await post({
    institutionId: chc.id,
    departmentId: chc.departments[0]!.id,
    name: '孙医生',
    sex: 'M',
    idNumber,
    title: '主治医师',
    practiceCategory: '临床',
    practiceScope: '全科医学专业',
    isFamilyDoctor: true,
    phone: '13912345678',
    practiceCertNo: '110310000012345',
  });
  assert.equal(r.statusCode, 201, r.body);
  const p = r.json();
  assert.equal(p.birthDate, '1978-09-10', 'taken from the ID number');
  assert.equal(p.idNumberMasked, `3101**********${idNumber.slice(-4)}`);
  assert.equal(p.phoneMasked, '139****5678');
  assert.equal(p.districtCode, '310104');
  assert.equal(p.streetCode, '310104003');
  assert.equal(p.departmentName, '全科');
  assert.equal(p.idNumber, undefined);
  const row = (await t.kernel.db.query<Record<string, unknown>>('select * from practitioner where id = $1', [p.id]))[0]!;
  assert.ok(!JSON.stringify(row).includes(idNumber) && !JSON.stringify(row).includes('13912345678'));
  assert.equal(row.id_number_bi, t.kernel.keys.blindIndex(idNumber, 'practitioner.id_number'));
  assert.equal(t.kernel.keys.decryptField(String(row.id_number_enc)), idNumber);
  const audit = JSON.stringify(await t.kernel.db.query("select * from audit_event where action = 'practitioner.create'"));
  assert.ok(!audit.includes(idNumber) && !audit.includes('13912345678'));
  // The same person twice → 409.
  const dup = await post({ institutionId: hospital, name: '孙医生', sex: 'M', idNumber });
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json().details[0].field, 'idNumber');
});

test('the ID number is optional but validated; titles and categories are enumerations', async () => {
  assert.equal((await post({ institutionId: chc.id, name: '无证号', sex: 'F' })).statusCode, 201);
  const bad = await post({ institutionId: chc.id, name: '错号', sex: 'F', idNumber: withBadCheckDigit(makeResidentId('310104', '1980-01-01', '002')) });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().details[0].field, 'idNumber');
  assert.match(bad.json().details[0].message, /校验位/);
  const sex = await post({ institutionId: chc.id, name: '性别不符', sex: 'M', idNumber: makeResidentId('310104', '1980-01-01', '002') });
  assert.equal(sex.statusCode, 400);
  assert.match(sex.json().details[0].message, /性别/);
  const enums = await post({ institutionId: chc.id, name: 'x', sex: 'M', title: '教授', practiceCategory: '外科' });
  assert.deepEqual(
    enums
      .json()
      .details.map((d: { field: string }) => d.field)
      .sort(),
    ['practiceCategory', 'title'],
  );
  const dept = await post({ institutionId: hospital, departmentId: chc.departments[0]!.id, name: 'x', sex: 'M' });
  assert.equal(dept.json().details[0].field, 'departmentId');
  assert.equal((await post({ institutionId: 98765, name: 'x', sex: 'M' })).json().details[0].field, 'institutionId');
});

test('list filters: institution, district, name prefix, family doctors', async () => {
  await post({ institutionId: hospital, name: '钱护士', sex: 'F', title: '护师', practiceCategory: '护理' });
  assert.equal((await list({ district: '310101' })).json().total, 1);
  assert.equal((await list({ institutionId: String(chc.id), familyDoctor: 'true' })).json().total, 1);
  const byName = await list({ q: '孙' });
  assert.equal(byName.json().total, 1);
  assert.equal(byName.json().items[0].institutionName, '天平社区卫生服务中心');
  const page = await list({ pageSize: '1', page: '2' });
  assert.equal(page.json().items.length, 1);
  assert.ok(page.json().total >= 3);
});

test('patch: moving institution recopies the scope keys and drops the old department; audit has the change', async () => {
  const p = (await post({ institutionId: chc.id, departmentId: chc.departments[0]!.id, name: '周医生', sex: 'M', title: '医师' })).json();
  const r = await t.call(admin, {
    method: 'PATCH',
    url: `/api/v1/practitioners/${p.id}`,
    payload: { institutionId: hospital, title: '主治医师', phone: '02164370045' },
  });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().districtCode, '310101');
  assert.equal(r.json().departmentId, null);
  assert.equal(r.json().title, '主治医师');
  assert.equal(r.json().phoneMasked, '021****0045');
  const ev = (
    await t.kernel.db.query<{ after: unknown }>("select after from audit_event where action = 'practitioner.update' and object_id = $1", [String(p.id)])
  )[0]!;
  const a = typeof ev.after === 'string' ? JSON.parse(ev.after) : (ev.after as Record<string, unknown>);
  assert.equal(a.title, '主治医师');
  assert.equal(a.name, undefined);
  const xuhui = await t.loginAs('district_admin', { level: 'district', districtCode: '310104' });
  const denied = await t.call(xuhui, { method: 'PATCH', url: `/api/v1/practitioners/${p.id}`, payload: { title: '医师' } });
  assert.equal(denied.statusCode, 403);
});
