import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDigit } from '../../../platform/util/resident-id.ts';
import { looksLikePdf, parseReportName } from './naming.ts';

const id = (first17: string) => first17 + checkDigit(first17);
const ID = id('31010419800517001');
const TODAY = '2026-11-26';

test('a name following the convention is parsed', () => {
  const r = parseReportName(`${ID}_HA_20261120_7101.pdf`, TODAY);
  assert.deepEqual(r, { ok: true, value: { idNumber: ID, reportType: 'HA', reportDate: '2026-11-20', doctorId: 7101 } });
  const pe = parseReportName(`uploads/${ID}_PE_20260101_12.PDF`, TODAY);
  assert.equal(pe.ok, true);
});

test('each broken part is refused with its own reason', () => {
  const reason = (n: string) => {
    const r = parseReportName(n, TODAY);
    assert.equal(r.ok, false, n);
    return (r as { reason: string }).reason;
  };
  assert.match(reason(`${ID}_HA_20261120_7101.docx`), /PDF/);
  assert.match(reason(`${ID}_HA_20261120.pdf`), /命名规范/);
  assert.match(reason('310104198005170019_HA_20261120_7101.pdf'.replace(/\d$/, ID.endsWith('9') ? '8' : '9')), /身份证号无效/);
  assert.match(reason(`${ID}_XX_20261120_7101.pdf`), /报告类型/);
  assert.match(reason(`${ID}_HA_20261131_7101.pdf`), /不是有效日期/);
  assert.match(reason(`${ID}_HA_20261127_7101.pdf`), /晚于今天/);
  assert.match(reason(`${ID}_HA_20251120_7101.pdf`), /超过 365 天/);
  assert.match(reason(`${ID}_HA_20261120_abc.pdf`), /签名医生编号/);
});

test('PDF content is recognised by its header', () => {
  assert.equal(looksLikePdf(Buffer.from('%PDF-1.7\n...')), true);
  assert.equal(looksLikePdf(Buffer.from('PK\u0003\u0004 a zip')), false);
});
