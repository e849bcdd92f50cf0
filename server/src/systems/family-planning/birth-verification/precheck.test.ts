import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blocking, type PrecheckFacts, runPrecheck } from './precheck.ts';

const person = (name: string, over: Partial<PrecheckFacts['child']> = {}) => ({
  name,
  birthDate: '2026-01-10',
  status: 'alive' as const,
  deathDate: null,
  hukouDistrict: '310104',
  ...over,
});
const base = (): PrecheckFacts => ({
  today: '2026-11-26',
  task: { certificateNo: 'P1', childName: '王小明', birthDate: '2026-01-10', claimedBirthOrder: 1, motherName: '李丽', fatherName: '王强', hasFatherId: true },
  mother: person('李丽', { birthDate: '1990-01-01' }),
  father: person('王强', { birthDate: '1988-01-01' }),
  child: person('王小明'),
  records: [
    { source: 'mch', childName: '王小明', certificateNo: 'P1' },
    { source: 'police', childName: '王小明', certificateNo: 'P1' },
  ],
  policeRecord: true,
  computedOrder: 1,
  duplicateTasks: [],
  married: true,
});
const codes = (f: PrecheckFacts) => runPrecheck(f).map((x) => x.code);

test('a consistent birth passes every check', () => {
  assert.deepEqual(runPrecheck(base()), []);
});

test('each check fires on its own inconsistency, with a zh-CN message', () => {
  const cases: [string, (f: PrecheckFacts) => void][] = [
    [
      'mother_not_found',
      (f) => {
        f.mother = null;
      },
    ],
    [
      'mother_name_mismatch',
      (f) => {
        f.task.motherName = '李莉';
      },
    ],
    [
      'father_not_found',
      (f) => {
        f.father = null;
      },
    ],
    [
      'father_name_mismatch',
      (f) => {
        f.task.fatherName = '王刚';
      },
    ],
    [
      'name_mismatch',
      (f) => {
        f.records[1]!.childName = '王晓明';
      },
    ],
    [
      'birth_date_mismatch',
      (f) => {
        f.child = person('王小明', { birthDate: '2026-01-11' });
      },
    ],
    [
      'child_dead',
      (f) => {
        f.child = person('王小明', { status: 'dead', deathDate: '2026-03-01' });
      },
    ],
    [
      'duplicate',
      (f) => {
        f.duplicateTasks = ['P2'];
      },
    ],
    [
      'birth_order_mismatch',
      (f) => {
        f.task.claimedBirthOrder = 2;
      },
    ],
    [
      'no_marriage_record',
      (f) => {
        f.married = false;
      },
    ],
  ];
  for (const [code, change] of cases) {
    const f = base();
    change(f);
    const found = runPrecheck(f);
    assert.deepEqual(
      found.map((x) => x.code),
      [code],
      code,
    );
    assert.match(found[0]!.message, /[\u4e00-\u9fff]/);
  }
});

test('missing 户籍: only past 60 days, only with a Shanghai 户籍 parent, not when registered', () => {
  const f = base();
  f.policeRecord = false;
  f.child = person('王小明', { hukouDistrict: null });
  assert.deepEqual(codes(f), ['missing_hukou']);
  f.today = '2026-02-20'; // 41 days
  assert.deepEqual(codes(f), []);
  f.today = '2026-11-26';
  f.mother = person('李丽', { hukouDistrict: null });
  f.father = person('王强', { hukouDistrict: null });
  assert.deepEqual(codes(f), []);
  f.father = person('王强');
  f.policeRecord = true;
  assert.deepEqual(codes(f), []);
});

test('a second 市妇幼 certificate for the same child is a duplicate; the own one is not', () => {
  const f = base();
  f.records.push({ source: 'mch', childName: '王小明', certificateNo: 'P9' });
  const d = runPrecheck(f);
  assert.deepEqual(
    d.map((x) => x.code),
    ['duplicate'],
  );
  assert.match(d[0]!.message, /P9/);
  assert.doesNotMatch(d[0]!.message, /P1/);
});

test('warnings do not block; an unlinked child is only a warning', () => {
  const f = base();
  f.child = null;
  f.records = [];
  f.computedOrder = null;
  f.married = false;
  const found = runPrecheck(f);
  assert.deepEqual(found.map((x) => x.code).sort(), ['child_not_linked', 'no_marriage_record']);
  assert.deepEqual(blocking(found), []);
});

test('a parent with a document other than the 居民身份证: a warning to check by hand, and the not-found message names the document', () => {
  const f = base();
  f.task.motherIdTypeName = '港澳居民来往内地通行证';
  const found = runPrecheck(f);
  assert.deepEqual(
    found.map((x) => [x.code, x.severity]),
    [['non_resident_id', 'warn']],
  );
  assert.equal(found[0]!.message, '非居民身份证件，请人工核对（母亲：港澳居民来往内地通行证）');
  assert.deepEqual(blocking(found), []);
  f.mother = null;
  f.task.fatherIdTypeName = '护照';
  f.father = null;
  const more = runPrecheck(f);
  assert.deepEqual(
    more.map((x) => x.code),
    ['mother_not_found', 'non_resident_id', 'father_not_found'],
  );
  assert.match(more[0]!.message, /母亲证件（港澳居民来往内地通行证）在人口库中未找到，请人工核对/);
  assert.match(more[1]!.message, /父亲：护照/);
  assert.match(more[2]!.message, /父亲证件（护照）/);
});
