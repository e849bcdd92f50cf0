import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDigit } from '../../../platform/util/resident-id.ts';
import { cleanRecord, maskedRaw, normaliseDate, normaliseIdNumber, normaliseName, normaliseSex, upgradeId15 } from './clean.ts';
import { DEFAULT_FIELD_MAP } from './field-map.ts';

const TODAY = '2026-11-26';
const id = (first17: string) => first17 + checkDigit(first17);
const MOTHER = id('31010419900101002'); // 17th digit even: female
const FATHER = id('31010419880202001');

const good = {
  CSYXZMBH: 'P310000123',
  XSEXM: '王小明',
  XSEXB: '1',
  CSRQ: '2026-11-20',
  CSTZ: '3300',
  JSJGMC: '上海市第一妇婴保健院',
  HC: '1',
  MQXM: '李丽',
  MQZJHM: MOTHER,
  FQXM: '王强',
  FQZJHM: FATHER,
  JZDZ: '徐汇区某路1号',
  JZJDDM: '310104001',
};

test('normalisers: names, dates, identity numbers, sex codes', () => {
  assert.equal(normaliseName(' 王 小 明 '), '王小明');
  assert.equal(normaliseName('阿依古丽.买买提'), '阿依古丽·买买提');
  assert.equal(normaliseName('阿依古丽•买买提'), '阿依古丽·买买提');
  assert.equal(normaliseDate('20261120'), '2026-11-20');
  assert.equal(normaliseDate('2026/1/5'), '2026-01-05');
  assert.equal(normaliseDate('2026年1月5日'), '2026-01-05');
  assert.equal(normaliseDate('２０２６-１１-２０'), '2026-11-20');
  assert.equal(normaliseDate('2026-11-20T08:30:00'), '2026-11-20');
  assert.equal(normaliseDate('2026-02-30'), null);
  assert.equal(normaliseDate('昨天'), null);
  assert.equal(normaliseIdNumber(` ${MOTHER.slice(0, 17)}x `.toLowerCase()), `${MOTHER.slice(0, 17)}X`);
  const up = upgradeId15('310104900101002');
  assert.equal(up.length, 18);
  assert.equal(up.slice(0, 8), '31010419');
  assert.equal(up[17], checkDigit(up.slice(0, 17)));
  assert.deepEqual(['1', '男', '2', '女', 'F', '9', '?'].map(normaliseSex), ['M', 'M', 'F', 'F', 'F', 'U', null]);
});

test('a valid but untidy record is cleaned', () => {
  const r = cleanRecord({ ...good, XSEXM: ' 王 小明', CSRQ: '2026/11/20', MQZJHM: ` ${MOTHER} `, HC: '１', JZJDDM: ' 310104001 ' }, DEFAULT_FIELD_MAP, TODAY);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.record.childName, '王小明');
  assert.equal(r.record.birthDate, '2026-11-20');
  assert.equal(r.record.motherIdNumber, MOTHER);
  assert.equal(r.record.claimedBirthOrder, 1);
  assert.equal(r.record.streetCode, '310104001');
  assert.equal(r.record.childSex, 'M');
});

test('invalid records are refused with every reason, in zh-CN', () => {
  const r = cleanRecord(
    { ...good, CSYXZMBH: '', XSEXM: 'X', CSRQ: '2027-01-01', MQZJHM: '310104199001010021', FQZJHM: MOTHER, CSTZ: '90000', HC: '0', JZJDDM: '31' },
    DEFAULT_FIELD_MAP,
    TODAY,
  );
  assert.equal(r.ok, false);
  if (r.ok) return;
  const fields = r.reasons.map((x) => x.field).sort();
  assert.deepEqual(
    fields,
    ['birthDate', 'birthWeight', 'certificateNo', 'childName', 'claimedBirthOrder', 'fatherIdNumber', 'motherIdNumber', 'streetCode'].sort(),
  );
  const text = r.reasons.map((x) => x.message).join('\n');
  assert.match(text, /出生医学证明编号：缺失（来源字段 CSYXZMBH）/);
  assert.match(text, /出生日期：晚于今天/);
  assert.match(text, /母亲身份证号：身份证号码校验位不正确/);
  assert.match(text, /父亲身份证号：性别位显示为女性，与父亲身份不符/);
});

test('a renamed source column is read through the mapping; rejected rows keep masked identity numbers', () => {
  const map = DEFAULT_FIELD_MAP.map((m) => (m.targetField === 'motherName' ? { ...m, sourceField: 'MOTHER_NAME' } : m));
  const { MQXM, ...rest } = good;
  assert.ok(cleanRecord({ ...rest, MOTHER_NAME: MQXM }, map, TODAY).ok);
  const missing = cleanRecord(good, map, TODAY);
  assert.ok(!missing.ok && missing.reasons.some((x) => x.field === 'motherName'));
  const masked = maskedRaw(good, DEFAULT_FIELD_MAP);
  assert.ok(!JSON.stringify(masked).includes(MOTHER) && !JSON.stringify(masked).includes(FATHER));
  assert.equal(masked.MQXM, '李丽');
});

test('mothers with other documents: recognised or declared, checked, the type carried; garbage still refused', () => {
  const hk = id('81000019920303002');
  const ok = (over: Record<string, unknown>) => {
    const r = cleanRecord({ ...good, ...over }, DEFAULT_FIELD_MAP, TODAY);
    assert.ok(r.ok, JSON.stringify(r));
    return r.record;
  };
  assert.deepEqual([ok({}).motherIdType, ok({}).fatherIdType], ['resident_id', 'resident_id']);
  assert.equal(ok({ MQZJHM: hk }).motherIdType, 'hmt_residence');
  assert.equal(ok({ MQZJHM: ' h12345678 ' }).motherIdNumber, 'H12345678');
  assert.equal(ok({ MQZJHM: 'H12345678' }).motherIdType, 'hk_macao_pass');
  assert.equal(ok({ MQZJHM: '０１２３４５６７' }).motherIdType, 'taiwan_pass');
  assert.equal(ok({ MQZJHM: id('93184019900101002') }).motherIdType, 'foreign_permanent');
  assert.equal(ok({ MQZJHM: 'E12345678', MQZJLX: '03' }).motherIdType, 'passport');
  assert.equal(ok({ MQZJHM: 'P1234567', MQZJLX: '护照', FQZJHM: '', FQZJLX: '' }).fatherIdType, null);
  assert.equal(ok({ FQZJHM: 'M12345678', FQZJLX: '06' }).fatherIdType, 'hk_macao_pass');

  const refused = (over: Record<string, unknown>) => {
    const r = cleanRecord({ ...good, ...over }, DEFAULT_FIELD_MAP, TODAY);
    assert.equal(r.ok, false, JSON.stringify(over));
    return r.ok ? [] : r.reasons;
  };
  assert.match(refused({ MQZJHM: 'E12345678' })[0]!.message, /^母亲身份证号：无法识别的证件号码.*注明证件类型/);
  assert.match(refused({ MQZJHM: '#￥%……' })[0]!.message, /无法识别的证件号码/);
  assert.match(refused({ MQZJHM: 'H1234', MQZJLX: '06' })[0]!.message, /港澳居民来往内地通行证号码应为H或M开头/);
  assert.deepEqual(
    refused({ MQZJHM: 'E12345678', MQZJLX: '军官证' }).map((x) => x.field),
    ['motherIdType'],
  );
  assert.match(refused({ MQZJHM: id('81000019920303001') })[0]!.message, /港澳台居民居住证性别位显示为男性，与母亲身份不符/);
  assert.match(refused({ MQZJHM: `${hk.slice(0, 17)}${hk[17] === '0' ? '1' : '0'}` })[0]!.message, /港澳台居民居住证号码校验位不正确/);
});
