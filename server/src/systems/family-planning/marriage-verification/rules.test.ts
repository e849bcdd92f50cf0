import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PersonView } from '../../common/resident-index/service.ts';
import { parseMarriage, type MarriageRecord } from './normalize.ts';
import { auditCase, type PartyMatch } from './rules.ts';

// Each audit rule on its own: passing and failing, with its zh-CN reason.
const TODAY = '2026-09-30';
const person = (id: number, name: string, sex: 'M' | 'F', birthDate: string, extra: Partial<PersonView> = {}): PersonView =>
  ({ id, name, sex, birthDate, status: 'alive', deathDate: null, ...extra }) as PersonView;
const rec = (over: Partial<MarriageRecord> = {}): MarriageRecord => ({
  recordNo: 'J1',
  kind: 'marriage',
  registeredOn: '2025-05-20',
  district: '310104',
  husband: { name: '张三', idNumber: '1', birthDate: '1995-01-01', hukou: '310104' },
  wife: { name: '李四', idNumber: '2', birthDate: '1997-02-02', hukou: '310104' },
  ...over,
});
const found = (p: PersonView): PartyMatch => ({ person: p, method: 'idNumber' });
const H = person(1, '张三', 'M', '1995-01-01');
const W = person(2, '李四', 'F', '1997-02-02');
const clean = { conflictingMarriages: 0, marriageOfPairKnown: false };
const failed = (r: ReturnType<typeof auditCase>) => r.findings.filter((f) => !f.ok).map((f) => f.rule);

test('all rules pass → matched', () => {
  const r = auditCase(rec(), found(H), found(W), clean, TODAY);
  assert.equal(r.status, 'matched');
  assert.deepEqual(failed(r), []);
});

test('a party not found → manual, with the reason', () => {
  const r = auditCase(rec(), { person: null, method: 'none', note: '姓名+出生日期未匹配' }, found(W), clean, TODAY);
  assert.equal(r.status, 'manual');
  assert.match(r.findings.find((f) => f.rule === 'husband.found')?.message ?? '', /男方未能在人口库中匹配：姓名\+出生日期未匹配/);
});

test('names, birth dates, sex, death, age, dates, same person, conflicts, divorces → exception', () => {
  const cases: [string, ReturnType<typeof auditCase>, RegExp][] = [
    ['wife.name', auditCase(rec(), found(H), found({ ...W, name: '李五' }), clean, TODAY), /女方姓名不一致/],
    ['husband.birth', auditCase(rec(), found({ ...H, birthDate: '1994-01-01' }), found(W), clean, TODAY), /男方出生日期不一致/],
    ['wife.sex', auditCase(rec(), found(H), found({ ...W, sex: 'M' }), clean, TODAY), /女方在人口库中的性别为男/],
    ['husband.alive', auditCase(rec(), found({ ...H, status: 'dead', deathDate: '2024-01-01' }), found(W), clean, TODAY), /男方已于 2024-01-01 死亡/],
    ['husband.age', auditCase(rec({ registeredOn: '2016-12-31' }), found(H), found(W), clean, TODAY), /男方登记时 21 周岁，未达法定婚龄 22 周岁/],
    ['wife.age', auditCase(rec({ registeredOn: '2017-02-01' }), found(H), found(W), clean, TODAY), /女方登记时 19 周岁/],
    ['date', auditCase(rec({ registeredOn: '2027-01-01' }), found(H), found(W), clean, TODAY), /登记日期 2027-01-01 不合理/],
    ['pair', auditCase(rec(), found(H), found({ ...H, sex: 'F', name: '李四', birthDate: '1997-02-02' }), clean, TODAY), /同一人/],
    ['conflict', auditCase(rec(), found(H), found(W), { ...clean, conflictingMarriages: 1 }, TODAY), /有效婚姻（1 条）/],
    ['divorce', auditCase(rec({ kind: 'divorce' }), found(H), found(W), clean, TODAY), /离婚登记未找到双方的结婚登记/],
  ];
  for (const [rule, r, message] of cases) {
    assert.equal(r.status, 'exception', rule);
    assert.ok(failed(r).includes(rule), `${rule}: ${failed(r).join()}`);
    assert.match(r.findings.find((f) => f.rule === rule && !f.ok)?.message ?? '', message);
  }
  // A divorce of a known marriage passes.
  assert.equal(auditCase(rec({ kind: 'divorce' }), found(H), found(W), { ...clean, marriageOfPairKnown: true }, TODAY).status, 'matched');
});

test('parsing the 民政 row: untidy fields accepted, unusable rows refused with field reasons', () => {
  const ok = parseMarriage({
    DJZH: ' J 1 ',
    YWLX: 'ia',
    DJRQ: '2025/5/20',
    DJJGDM: '310104',
    NFXM: '张 三',
    NFZJHM: '',
    NFCSRQ: '１９９５０１０１',
    NVXM: '李四',
    NVCSRQ: '1997-02-02',
  });
  assert.ok('record' in ok);
  assert.equal(ok.record.recordNo, 'J1');
  assert.equal(ok.record.kind, 'marriage');
  assert.equal(ok.record.registeredOn, '2025-05-20');
  assert.equal(ok.record.husband.name, '张三');
  assert.equal(ok.record.husband.idNumber, null);
  assert.equal(ok.record.husband.birthDate, '1995-01-01');
  const bad = parseMarriage({ DJZH: '', YWLX: 'XX', DJRQ: '2025-02-30', DJJGDM: '110101', NFXM: '', NVXM: '' });
  assert.ok('errors' in bad);
  assert.deepEqual(bad.errors.map((e) => e.field).sort(), ['DJJGDM', 'DJRQ', 'DJZH', 'NFXM', 'NVXM', 'YWLX']);
});
