import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { makeResidentId, withBadCheckDigit } from '../master-data/test-support.ts';
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

const create = (payload: object, s: TestSession = admin) => t.call(s, { method: 'POST', url: '/api/v1/residents', payload });

test('create returns the masked resident with the managing 社区卫生服务中心 of the street', async () => {
  const body = residentBody({ residenceCommunity: '310104003001' });
  const r = await create(body);
  assert.equal(r.statusCode, 201, r.body);
  const p = r.json();
  assert.equal(p.name, '张三');
  assert.equal(p.sex, 'M');
  assert.equal(p.birthDate, '1980-05-17');
  assert.equal(typeof p.age, 'number');
  assert.equal(p.idType, 'resident_id');
  assert.equal(p.idNumberMasked, `${body.idNumber.slice(0, 4)}**********${body.idNumber.slice(-4)}`);
  assert.equal(p.phoneMasked, `${body.phone.slice(0, 3)}****${body.phone.slice(-4)}`);
  assert.equal(p.managingInstitutionId, chcId);
  assert.equal(p.residenceCommunity, '310104003001');
  assert.equal(p.status, 'alive');
  assert.equal(p.deathDate, null);
  assert.equal(p.idNumber, undefined);
  assert.equal(p.phone, undefined);
  assert.equal(p.address, undefined);
  assert.deepEqual(Object.keys(p).sort(), [
    'age',
    'birthDate',
    'deathDate',
    'deathSource',
    'hukouDistrict',
    'id',
    'idNumberMasked',
    'idType',
    'insuredPlace',
    'managingInstitutionId',
    'name',
    'phoneMasked',
    'residenceCommunity',
    'residenceDistrict',
    'residenceStreet',
    'sex',
    'status',
  ]);
});

test('sex and birth date may be left to the ID number; a lower-case x is normalised', async () => {
  // A female sequence number whose check digit is X.
  let id = '';
  for (let n = 0; !id.endsWith('X'); n += 2) id = makeResidentId('310104', '1975-02-03', String(n).padStart(3, '0'));
  const body = residentBody();
  delete (body as Record<string, unknown>).sex;
  delete (body as Record<string, unknown>).birthDate;
  const r = await create({ ...body, idNumber: id.toLowerCase() });
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().sex, 'F');
  assert.equal(r.json().birthDate, '1975-02-03');
  assert.ok(r.json().idNumberMasked.endsWith('X'));
  const row = (await t.kernel.db.query<{ id_number_enc: string }>('select id_number_enc from person where id = $1', [r.json().id]))[0]!;
  assert.equal(t.kernel.keys.decryptField(row.id_number_enc), id);
});

test('the plaintext identity number and phone never reach the person table', async () => {
  const body = residentBody();
  const r = await create(body);
  assert.equal(r.statusCode, 201);
  const row = (await t.kernel.db.query<Record<string, unknown>>('select * from person where id = $1', [r.json().id]))[0]!;
  const text = JSON.stringify(row);
  assert.ok(!text.includes(body.idNumber), 'ID number stored in clear');
  assert.ok(!text.includes(body.idNumber.slice(4, 14)), 'ID digits stored in clear');
  assert.ok(!text.includes(body.phone), 'phone stored in clear');
  assert.match(String(row.id_number_enc), /^v1\.k\d+\./);
  assert.match(String(row.phone_enc), /^v1\.k\d+\./);
  assert.equal(t.kernel.keys.decryptField(String(row.id_number_enc)), body.idNumber);
  assert.equal(row.id_number_bi, t.kernel.keys.blindIndex(body.idNumber, 'person.id_number'));
  assert.equal(row.phone_bi, t.kernel.keys.blindIndex(body.phone, 'person.phone'));
  // Nor the audit log.
  const audit = await t.kernel.db.query<Record<string, unknown>>("select * from audit_event where action = 'resident.create' and object_id = $1", [
    String(r.json().id),
  ]);
  assert.equal(audit.length, 1);
  const a = JSON.stringify(audit[0]);
  assert.ok(!a.includes(body.idNumber) && !a.includes(body.phone) && !a.includes('100 弄 5 号'));
});

for (const [label, mutate, pattern] of [
  ['bad check digit', (id: string) => withBadCheckDigit(id), /校验位/],
  ['impossible date (Feb 30)', () => makeResidentId('310104', '19800230', '123'), /出生日期/],
  ['future birth date', () => makeResidentId('310104', `${new Date().getFullYear() + 1}0101`, '123'), /出生日期/],
  ['wrong length', (id: string) => id.slice(0, 17), /18位/],
] as const) {
  test(`invalid ID number: ${label} → 400 on idNumber with a zh-CN message`, async () => {
    const body = residentBody();
    const r = await create({ ...body, idNumber: mutate(body.idNumber), sex: undefined, birthDate: undefined });
    assert.equal(r.statusCode, 400, r.body);
    const e = r.json();
    assert.equal(e.code, 'VALIDATION_FAILED');
    const d = e.details.find((x: { field: string }) => x.field === 'idNumber');
    assert.ok(d, r.body);
    assert.match(d.message, pattern);
    assert.match(d.message, /[\u4e00-\u9fff]/);
  });
}

test('birth date or sex disagreeing with the ID number → 400 on idNumber', async () => {
  const body = residentBody();
  const r1 = await create({ ...body, birthDate: '1980-05-18' });
  assert.equal(r1.statusCode, 400);
  assert.equal(r1.json().details[0].field, 'idNumber');
  assert.match(r1.json().details[0].message, /出生日期/);
  const r2 = await create({ ...body, sex: 'F' });
  assert.equal(r2.statusCode, 400);
  assert.match(r2.json().details[0].message, /性别/);
});

test("the same identity twice → 409, also when the first is outside the caller's scope", async () => {
  const body = residentBody();
  assert.equal((await create(body)).statusCode, 201);
  const again = await create({ ...body, name: '李四', phone: '13700000001' });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().details[0].field, 'idNumber');
  // A 黄浦 official cannot see the 徐汇 resident, yet may not register the same number again.
  const hp = await t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  const r = await create({ ...body, residenceDistrict: '310101', residenceStreet: '310101002' }, hp);
  assert.equal(r.statusCode, 409, r.body);
  const { n } = (
    await t.kernel.db.query<{ n: number }>('select count(*)::int as n from person where id_number_bi = $1', [
      t.kernel.keys.blindIndex(body.idNumber, 'person.id_number'),
    ])
  )[0]!;
  assert.equal(n, 1);
});

test('other document types need birth date and sex and follow their format', async () => {
  const ok = await create({ idType: 'passport', idNumber: 'e1234 5678', name: 'John Smith', sex: 'M', birthDate: '1990-01-01', residenceDistrict: '310104' });
  assert.equal(ok.statusCode, 201, ok.body);
  assert.equal(ok.json().idNumberMasked, 'E123*5678');
  const bad = await create({ idType: 'hk_macao_pass', idNumber: 'X123', name: '陈大文', residenceDistrict: '310104' });
  assert.equal(bad.statusCode, 400);
  const fields = bad
    .json()
    .details.map((d: { field: string }) => d.field)
    .sort();
  assert.deepEqual(fields, ['birthDate', 'idNumber', 'sex']);
});

test('residence codes must nest and exist once imported', async () => {
  const wrongDistrict = await create(residentBody({ residenceStreet: '310101002' }));
  assert.equal(wrongDistrict.statusCode, 400);
  assert.equal(wrongDistrict.json().details[0].field, 'residenceStreet');
  const unknown = await create(residentBody({ residenceStreet: '310104999' }));
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.json().details[0].message, /不存在/);
  const noStreet = await create(residentBody({ residenceStreet: null, residenceCommunity: '310104003001' }));
  assert.equal(noStreet.statusCode, 400);
  assert.equal(noStreet.json().details[0].field, 'residenceCommunity');
});

test('a death needs a date not before birth and not in the future', async () => {
  const noDate = await create(residentBody({ status: 'dead' }));
  assert.equal(noDate.statusCode, 400);
  assert.equal(noDate.json().details[0].field, 'deathDate');
  const beforeBirth = await create(residentBody({ status: 'dead', deathDate: '1970-01-01' }));
  assert.equal(beforeBirth.statusCode, 400);
  assert.equal(beforeBirth.json().details[0].field, 'deathDate');
  const future = await create(residentBody({ status: 'dead', deathDate: `${new Date().getFullYear() + 1}-01-01` }));
  assert.equal(future.statusCode, 400);
  assert.equal(future.json().details[0].field, 'deathDate');
  const ok = await create(residentBody({ status: 'dead', deathDate: '2020-03-01' }));
  assert.equal(ok.statusCode, 201, ok.body);
  assert.equal(ok.json().age, 39);
});

test('unknown fields and over-long strings are refused by the schema', async () => {
  const r = await create({ ...residentBody(), extra: 1, address: 'x'.repeat(201) });
  assert.equal(r.statusCode, 400);
  const fields = r
    .json()
    .details.map((d: { field: string }) => d.field)
    .sort();
  assert.deepEqual(fields, ['address', 'extra']);
});

test('without resident-index.write the create is forbidden', async () => {
  const expert = await t.loginAs('expert');
  assert.equal((await create(residentBody(), expert)).statusCode, 403);
});
