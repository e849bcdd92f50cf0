import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Fd, fdApp } from './test-fixture.ts';

let fd: Fd;
before(async () => {
  fd = await fdApp();
});
after(() => fd.close());

const put = (url: string, payload: object, s = fd.admin) => fd.t.call(s, { method: 'PUT', url: `/api/v1/family-doctor${url}`, payload });

test('a card number shared with another resident is allowed with a warning, and the index takes the card', async () => {
  await fd.resident('1970-01-01', { insuranceCardNo: 'S1000000001', insuredPlace: '310000' });
  const pid = await fd.resident();
  const r = await fd.sign(pid, { insuredPlace: '310000', insuranceCardNo: 'S1000000001' });
  assert.equal(r.statusCode, 201, r.body);
  assert.equal(r.json().warnings.length, 1);
  assert.match(r.json().warnings[0], /医保卡号 S1000000001 与其他 1 位居民重复，已允许办理/);
  const [p] = await fd.t.kernel.db.query<{ insurance_card_no: string; insured_place: string }>(
    'select insurance_card_no, insured_place from person where id = $1',
    [pid],
  );
  assert.deepEqual(p, { insurance_card_no: 'S1000000001', insured_place: '310000' });
  const clean = await fd.sign(await fd.resident(), { insuredPlace: '310000', insuranceCardNo: 'S1000000002' });
  assert.deepEqual(clean.json().warnings, []);
});

test('a non-local card: insured place + number identifies one resident; the same number of another place only warns', async () => {
  await fd.resident('1970-01-01', { insuranceCardNo: '32010000000123', insuredPlace: '320100' });
  const pid = await fd.resident();
  const taken = await fd.sign(pid, { insuredPlace: '320100', insuranceCardNo: '32010000000123' });
  assert.equal(taken.statusCode, 422);
  assert.match(taken.json().message, /该参保地与医保卡号已对应另一位居民/);
  const noPlace = await fd.sign(pid, { insuranceCardNo: '32010000000123' });
  assert.equal(noPlace.statusCode, 400);
  assert.match(noPlace.json().details[0].message, /请填写参保地/);
  const otherPlace = await fd.sign(pid, { insuredPlace: '330100', insuranceCardNo: '32010000000123' });
  assert.equal(otherPlace.statusCode, 201, otherPlace.body);
  assert.equal(otherPlace.json().warnings.length, 1);
  const check = await fd.get('/insurance-cards/check?insuredPlace=320100&insuranceCardNo=32010000000123');
  assert.equal(check.statusCode, 422);
});

test('card formats per insured place are configurable by the city; a wrong format is refused with the rule', async () => {
  const pid = await fd.resident();
  const bad = await fd.sign(pid, { insuredPlace: '310000', insuranceCardNo: '1234567' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().details[0].message, '医保卡号格式不符合参保地 310000 的规则：上海市医保卡：S + 10 位数字');
  // A rule for 江苏省南京市 cards.
  const district = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310104' });
  assert.equal((await put('/card-rules/320100', { pattern: '^3201[0-9]{10}$', title: '南京：3201 + 10 位数字' }, district)).statusCode, 403);
  const invalidRe = await put('/card-rules/320100', { pattern: '^([0-9$', title: '坏规则' });
  assert.equal(invalidRe.statusCode, 400);
  assert.equal(invalidRe.json().details[0].message, '格式规则不是有效的正则表达式');
  const example = await put('/card-rules/320100', { pattern: '^3201[0-9]{10}$', title: '南京：3201 + 10 位数字', example: 'X' });
  assert.equal(example.statusCode, 400);
  assert.equal(example.json().details[0].field, 'example');
  const ok = await put('/card-rules/320100', { pattern: '^3201[0-9]{10}$', title: '南京：3201 + 10 位数字', example: '32010000000001' });
  assert.equal(ok.statusCode, 200, ok.body);
  const nj = await fd.sign(pid, { insuredPlace: '320100', insuranceCardNo: '3201000' });
  assert.equal(nj.statusCode, 400);
  assert.match(nj.json().details[0].message, /南京/);
  assert.equal((await fd.sign(pid, { insuredPlace: '320100', insuranceCardNo: '32010000000999' })).statusCode, 201);
  const rules = (await fd.get('/card-rules', district)).json().items;
  assert.deepEqual(
    rules.map((r: { insuredPlace: string }) => r.insuredPlace),
    ['310000', '320100'],
  );
  assert.equal((await fd.t.call(fd.admin, { method: 'DELETE', url: '/api/v1/family-doctor/card-rules/320100' })).statusCode, 200);
  const audit = await fd.t.kernel.db.query<{ action: string }>("select action from audit_event where object_type = 'insurance_card_rule' order by seq");
  assert.deepEqual(
    audit.map((a) => a.action),
    ['family-doctor.card-rule', 'family-doctor.card-rule-delete'],
  );
});

test('the duplicate-card report lists numbers held by several residents, within the scope', async () => {
  const a = await fd.resident('1960-01-01', { insuranceCardNo: 'S5550000001', insuredPlace: '310000' });
  const b = await fd.resident('1961-01-01', { insuranceCardNo: 'S5550000001', insuredPlace: '310000' });
  const r = await fd.get('/reports/duplicate-cards?pageSize=100');
  assert.equal(r.statusCode, 200, r.body);
  const row = r.json().items.find((x: { insuranceCardNo: string }) => x.insuranceCardNo === 'S5550000001');
  assert.equal(row.count, 2);
  assert.deepEqual(
    row.holders.map((h: { personId: number }) => h.personId),
    [a, b],
  );
  assert.match(row.holders[0].idNumberMasked, /\*/);
  const huangpu = await fd.t.loginAs('district_admin', { level: 'district', districtCode: '310101' });
  const none = (await fd.get('/reports/duplicate-cards', huangpu)).json();
  assert.equal(none.total, 0);
});
