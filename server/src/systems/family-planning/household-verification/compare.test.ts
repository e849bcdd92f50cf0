import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare, parseNewborn, parseRegistration, type Registration } from './compare.ts';
import { stem } from './mapping.ts';

// The 公安 row parsing, the comparison with the newborn library, and the name stems the mapping uses.
const reg = (over: Partial<Registration> = {}): Registration => ({
  regNo: 'CS1',
  name: '王子涵',
  sex: 'F',
  birthDate: '2026-08-03',
  childId: null,
  policeCode: '310104003000',
  policeName: '湖南路派出所',
  motherName: null,
  motherId: null,
  fatherName: null,
  fatherId: null,
  registeredOn: null,
  ...over,
});

test('parsing: untidy fields accepted; bad codes, dates and missing numbers refused with the field', () => {
  const ok = parseRegistration({ CSDJH: ' CS1 ', XM: '王 子涵', XB: '2', CSRQ: '2026/8/3', SSPCSDM: '310104003000', SSPCSMC: '湖南路派出所', GMSFHM: '' });
  assert.ok('reg' in ok);
  assert.equal(ok.reg.name, '王子涵');
  assert.equal(ok.reg.sex, 'F');
  assert.equal(ok.reg.birthDate, '2026-08-03');
  assert.equal(ok.reg.childId, null);
  const bad = parseRegistration({ CSDJH: '', XM: '', CSRQ: '2026-02-30', SSPCSDM: '1101' });
  assert.ok('errors' in bad);
  assert.deepEqual(bad.errors.map((e) => e.field).sort(), ['CSDJH', 'CSRQ', 'SSPCSDM', 'XM']);
  assert.equal(parseNewborn({ CSDJH: '' }), null);
});

test('comparison: same → matched; name, sex, birth date differences listed; absent → missing', () => {
  const nb = { regNo: 'CS1', name: '王子涵', sex: 'F' as const, birthDate: '2026-08-03', certificateNo: 'S1' };
  assert.deepEqual(compare(reg(), nb), { status: 'matched', differences: [] });
  const d = compare(reg(), { ...nb, name: '王梓涵', sex: 'M', birthDate: '2026-08-04' });
  assert.equal(d.status, 'mismatch');
  assert.deepEqual(
    d.differences.map((x) => [x.field, x.police, x.newborn]),
    [
      ['name', '王子涵', '王梓涵'],
      ['sex', '女', '男'],
      ['birthDate', '2026-08-03', '2026-08-04'],
    ],
  );
  assert.deepEqual(compare(reg(), undefined), { status: 'missing', differences: [] });
});

test('name stems: 派出所, 街道 and 镇 names meet', () => {
  assert.equal(stem('湖南路派出所'), '湖南路');
  assert.equal(stem('湖南路街道'), '湖南路');
  assert.equal(stem('华泾镇'), '华泾');
  assert.equal(stem('华泾派出所'), '华泾');
});
