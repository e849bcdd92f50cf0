import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDigit } from '../../../platform/util/resident-id.ts';
import { checkParentId, declaredIdType, recogniseIdType } from './id-types.ts';

const TODAY = '2026-11-26';
const id = (first17: string) => first17 + checkDigit(first17);
const wrong = (n: string) => n.slice(0, 17) + (n[17] === '0' ? '1' : '0');
const RESIDENT = id('31010419900101002');
const HK_RESIDENCE = id('81000019900101002'); // 港澳台居民居住证, Hong Kong, female
const TW_RESIDENCE = id('83000019850505001'); // male
const FOREIGN_NEW = id('93184019900101002'); // 2023 series: 9, 31 (上海受理), 840, birth date, sequence
const FOREIGN_OLD = 'USA310900101001';

test('types recognised from the number alone', () => {
  assert.equal(recogniseIdType(RESIDENT), 'resident_id');
  assert.equal(recogniseIdType(HK_RESIDENCE), 'hmt_residence');
  assert.equal(recogniseIdType(FOREIGN_NEW), 'foreign_permanent');
  assert.equal(recogniseIdType(FOREIGN_OLD), 'foreign_permanent');
  assert.equal(recogniseIdType('H12345678'), 'hk_macao_pass');
  assert.equal(recogniseIdType('M1234567801'), 'hk_macao_pass');
  assert.equal(recogniseIdType('12345678'), 'taiwan_pass');
  assert.equal(recogniseIdType('E12345678'), null, 'a passport is not guessed');
});

test('declared types: WS 364 codes, names and our codes; anything else is unknown', () => {
  assert.equal(declaredIdType('01'), 'resident_id');
  assert.equal(declaredIdType('03'), 'passport');
  assert.equal(declaredIdType('06'), 'hk_macao_pass');
  assert.equal(declaredIdType('台胞证'), 'taiwan_pass');
  assert.equal(declaredIdType('外国人永久居留身份证'), 'foreign_permanent');
  assert.equal(declaredIdType('港澳台居民居住证'), 'hmt_residence');
  assert.equal(declaredIdType('passport'), 'passport');
  assert.equal(declaredIdType(null), null);
  assert.equal(declaredIdType('军官证'), 'unknown');
});

test('valid numbers of every type pass, with the sex where the number carries it', () => {
  assert.deepEqual(checkParentId(RESIDENT, null, TODAY), { ok: true, type: 'resident_id', sex: 'F' });
  assert.deepEqual(checkParentId(HK_RESIDENCE, null, TODAY), { ok: true, type: 'hmt_residence', sex: 'F' });
  assert.deepEqual(checkParentId(TW_RESIDENCE, 'resident_id', TODAY), { ok: true, type: 'hmt_residence', sex: 'M' }, 'declared 01 but a 港澳台 number');
  assert.deepEqual(checkParentId(FOREIGN_NEW, null, TODAY), { ok: true, type: 'foreign_permanent', sex: 'F' });
  assert.deepEqual(checkParentId(FOREIGN_OLD, 'foreign_permanent', TODAY), { ok: true, type: 'foreign_permanent', sex: null });
  assert.deepEqual(checkParentId('H12345678', null, TODAY), { ok: true, type: 'hk_macao_pass', sex: null });
  assert.deepEqual(checkParentId('12345678', 'taiwan_pass', TODAY), { ok: true, type: 'taiwan_pass', sex: null });
  assert.deepEqual(checkParentId('E12345678', 'passport', TODAY), { ok: true, type: 'passport', sex: null });
  assert.deepEqual(checkParentId('X1234567', 'passport', TODAY), { ok: true, type: 'passport', sex: null });
});

test('invalid numbers are refused per type with a zh-CN reason', () => {
  const reason = (n: string, d: Parameters<typeof checkParentId>[1]) => {
    const r = checkParentId(n, d, TODAY);
    assert.equal(r.ok, false, n);
    return r.ok ? '' : r.reason;
  };
  assert.equal(reason(wrong(RESIDENT), null), '身份证号码校验位不正确');
  assert.equal(reason(wrong(HK_RESIDENCE), null), '港澳台居民居住证号码校验位不正确');
  assert.match(reason(RESIDENT, 'hmt_residence'), /应为18位，以810000/);
  assert.equal(reason(wrong(FOREIGN_NEW), null), '外国人永久居留身份证号码校验位不正确');
  assert.match(reason(id('93184019901301002'), null), /外国人永久居留身份证号码中的出生日期无效/);
  assert.match(reason('9318401990', 'foreign_permanent'), /9开头的18位号码/);
  assert.match(reason('X12345678', 'hk_macao_pass'), /港澳居民来往内地通行证号码应为H或M开头/);
  assert.match(reason('1234567', 'taiwan_pass'), /台湾居民来往大陆通行证号码应为8位或10位数字/);
  assert.match(reason('ABCDEFG', 'passport'), /护照号码应为5至17位字母或数字/);
  assert.match(reason('E1', 'passport'), /护照号码/);
  assert.match(reason('H12345678', 'resident_id'), /身份证号码应为18位/, 'a declared 居民身份证 is checked as one');
  assert.match(reason('E12345678', null), /无法识别的证件号码.*如为护照，请在来源数据中注明证件类型/);
  assert.match(reason('不是号码', null), /无法识别的证件号码/);
});
