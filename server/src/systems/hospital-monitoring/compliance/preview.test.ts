import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { FX, seedHospitalData } from './test-fixture.ts';

let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await seedHospitalData(t.kernel.db);
});
after(() => t.close());

const preview = (s: TestSession, rule: object) => t.call(s, { method: 'POST', url: '/api/v1/compliance/rules/preview', payload: { rule } });
const item = (code: string) => ({ kind: 'cmp', op: '=', left: { kind: 'field', name: 'item_code' }, right: { kind: 'lit', value: code } });
const perPatientDay = [
  { kind: 'field', path: ['encounter'], name: 'person_id' },
  { kind: 'field', name: 'charged_on' },
];

test('preview: the sentence, the hit count over the last 90 days and samples in context, nothing stored', async () => {
  const rule = {
    source: 'fee_line',
    when: {
      kind: 'and',
      args: [
        item('B001'),
        { kind: 'cmp', op: '>=', left: { kind: 'agg', fn: 'count', by: perPatientDay, where: item('B001') }, right: { kind: 'lit', value: 2 } },
      ],
    },
    select: [{ name: 'times', title: '当日次数', expr: { kind: 'agg', fn: 'count', by: perPatientDay, where: item('B001') } }],
  };
  const r = await preview(admin, rule);
  assert.equal(r.statusCode, 200, r.body);
  const p = r.json();
  assert.equal(p.total, 5);
  assert.deepEqual(p.window, { from: '2026-06-13', to: '2026-09-10' });
  assert.equal(p.samples.length, 5);
  assert.deepEqual(p.samples[0], {
    key: '1',
    values: { times: 3 },
    institution: '测试甲医院',
    practitioner: '甲医生',
    patient: '王**',
    items: 'B超检查',
    amount: 150,
    foundOn: '2026-09-10',
  });
  assert.match(p.sentence, /大于等于 2$/);
  const { n } = (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from cm_finding'))[0]!;
  assert.equal(n, 0);
});

test('preview: old data is outside the window; an invalid rule is a 400 with its problems', async () => {
  await t.kernel.db.exec(`insert into hm_procedure (id, encounter_id, institution_id, district_code, surgeon_id, procedure_code, procedure_name, surgery_grade, performed_on)
    values (9, 4, ${FX.instA}, '${FX.districtA}', ${FX.docA}, '81.5101', '全髋关节置换术', 3, '2026-01-05')`);
  const r = await preview(admin, {
    source: 'procedure',
    when: { kind: 'cmp', op: '>', left: { kind: 'field', name: 'surgery_grade' }, right: { kind: 'lit', value: 2 } },
  });
  // Grades 4, 4, 3 of the first three procedures and the two new-technology ones (4, 3); not the old one.
  assert.equal(r.json().total, 5);
  assert.equal(r.json().window.to, '2026-09-02');
  const bad = await preview(admin, {
    source: 'procedure',
    when: { kind: 'cmp', op: '>', left: { kind: 'field', name: 'surgery_grade' }, right: { kind: 'lit', value: 'x' } },
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().details[0].field, /^rule\.when/);
});

test('preview applies the caller’s scope and needs rule management rights', async () => {
  const districtAdmin = await t.loginAs('district_admin', { level: 'district', districtCode: FX.districtA });
  assert.equal((await preview(districtAdmin, { source: 'fee_line', when: item('B001') })).statusCode, 403);
  const shenkang = await t.loginAs('shenkang_admin');
  assert.equal((await preview(shenkang, { source: 'fee_line', when: item('N002') })).json().total, 1);
});
