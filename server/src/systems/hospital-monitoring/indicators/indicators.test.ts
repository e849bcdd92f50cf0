import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { IX, seedIndicatorData } from './test-fixture.ts';

let t: TestApp;
let admin: TestSession;
let ids: Record<string, number>;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await seedIndicatorData(t.kernel.db);
  const list = (await api(admin, 'GET', '/indicators')).json();
  ids = Object.fromEntries(list.items.map((i: { code: string; id: number }) => [i.code, i.id]));
});
after(() => t.close());

const api = (s: TestSession, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => t.call(s, { method, url: `/api/v1${url}`, payload });
const PERIOD = 'from=2026-09-01&to=2026-10-31';

type Row = { keys: unknown[]; labels: string[]; cells: { value: number | null; numerator: number | null; denominator: number | null }[] };
async function compute(s: TestSession, codes: string[], dims: string, period = PERIOD): Promise<Row[]> {
  const r = await api(s, 'GET', `/indicators/compute?ids=${codes.map((c) => ids[c] ?? c).join(',')}&dims=${dims}&${period}`);
  assert.equal(r.statusCode, 200, r.body);
  return r.json().rows;
}
const table = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r.labels.join('/'), r.cells.map((c) => c.value)]));

test('built-in indicators are seeded with their Chinese definitions', async () => {
  const list = (await api(admin, 'GET', '/indicators')).json().items;
  const drug = list.find((i: { code: string }) => i.code === 'fee.drug-share');
  assert.equal(drug.sentence, '（费用类别 等于 「药品」的收费明细「金额」合计）÷（收费明细「金额」合计） × 100，单位：%');
  assert.ok(list.length >= 7);
});

test('indicators × institution: counts, a ratio and a cross-source ratio, within the period', async () => {
  const rows = await compute(admin, ['visits.outpatient', 'fee.drug-share', 'surgery.per-100-inpatients'], 'institution');
  assert.deepEqual(table(rows), { 指标甲医院: [2, 36.79, 100], 指标乙医院: [1, 83.33, 100] });
  const a = rows.find((r) => r.keys[0] === IX.instA)!;
  assert.deepEqual(a.cells[1], { value: 36.79, numerator: 250.3, denominator: 680.3 });
});

test('two dimensions (district × month) and no dimension at all', async () => {
  assert.deepEqual(table(await compute(admin, ['fee.per-visit'], 'district,month')), {
    '黄浦区/2026-09': [60],
    '徐汇区/2026-09': [200.1],
    '徐汇区/2026-10': [240.1],
  });
  assert.deepEqual(table(await compute(admin, ['fee.drug-share'], 'month')), { '2026-09': [46.89], '2026-10': [41.69] });
  assert.deepEqual(table(await compute(admin, ['visits.outpatient'], '')), { '': [3] });
  assert.deepEqual(table(await compute(admin, ['visits.outpatient'], 'department')), { 内科: [2], 未填写科室: [1] });
});

test("figures follow the caller's data scope", async () => {
  const district = await t.loginAs('district_admin', { level: 'district', districtCode: IX.districtB });
  assert.deepEqual(table(await compute(district, ['visits.outpatient', 'fee.drug-share'], 'institution')), { 指标乙医院: [1, 83.33] });
  const hospital = await t.loginAs('hospital_user', { level: 'institution', districtCode: IX.districtA, institutionId: IX.instA });
  assert.deepEqual(table(await compute(hospital, ['visits.outpatient'], 'district')), { 徐汇区: [2] });
  const outsider = await t.loginAs('family_doctor', { level: 'institution', districtCode: IX.districtA, institutionId: IX.instA });
  assert.equal((await api(outsider, 'GET', `/indicators/compute?ids=${ids['visits.outpatient']}&${PERIOD}`)).statusCode, 403);
});

test('bad compute requests are 400/404 in Chinese, not 500', async () => {
  let r = await api(admin, 'GET', `/indicators/compute?ids=${ids['visits.outpatient']}&from=2026-10-01&to=2026-09-01`);
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().details[0].field, 'to');
  r = await api(admin, 'GET', `/indicators/compute?ids=abc&${PERIOD}`);
  assert.equal(r.statusCode, 400);
  r = await api(admin, 'GET', `/indicators/compute?ids=999999&${PERIOD}`);
  assert.equal(r.statusCode, 404);
  r = await api(admin, 'GET', `/indicators/compute?ids=${ids['visits.outpatient']}&dims=institution,institution2&${PERIOD}`);
  assert.equal(r.statusCode, 400);
});

test('a city administrator defines and versions an indicator; others are refused; bad definitions are 400', async () => {
  const def = {
    numerator: {
      source: 'fee_line',
      fn: 'sum',
      of: 'amount',
      where: { kind: 'cmp', op: '=', left: { kind: 'field', path: ['encounter'], name: 'kind' }, right: { kind: 'lit', value: 'inpatient' } },
    },
    denominator: {
      source: 'encounter',
      fn: 'count',
      where: { kind: 'cmp', op: '=', left: { kind: 'field', name: 'kind' }, right: { kind: 'lit', value: 'inpatient' } },
    },
    multiplier: 1,
    unit: '元',
    precision: 1,
  };
  const r = await api(admin, 'POST', '/indicators', { title: '住院次均费用', definition: def });
  assert.equal(r.statusCode, 201, r.body);
  const ind = r.json();
  assert.equal(ind.sentence, '（就诊的就诊类型 等于 「住院」的收费明细「金额」合计）÷（就诊类型 等于 「住院」的就诊数），单位：元');
  assert.deepEqual(table(await compute(admin, [ind.id], 'institution')), { 指标甲医院: [440.2], 指标乙医院: [100] });

  const v2 = await api(admin, 'POST', `/indicators/${ind.id}/versions`, {
    title: '住院次均药费',
    definition: {
      ...def,
      numerator: {
        ...def.numerator,
        where: {
          kind: 'and',
          args: [def.numerator.where, { kind: 'cmp', op: '=', left: { kind: 'field', name: 'category' }, right: { kind: 'lit', value: '药品' } }],
        },
      },
    },
  });
  assert.equal(v2.statusCode, 200, v2.body);
  assert.equal(v2.json().version, 2);
  assert.deepEqual(table(await compute(admin, [ind.id], 'institution')), { 指标甲医院: [200.2], 指标乙医院: [100] });
  const detail = (await api(admin, 'GET', `/indicators/${ind.id}`)).json();
  assert.deepEqual(
    detail.versions.map((v: { version: number }) => v.version),
    [2, 1],
  );

  const bad = await api(admin, 'POST', '/indicators', { title: '错', definition: { ...def, numerator: { source: 'fee_line', fn: 'sum', of: 'item_name' } } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().details[0].field, 'definition.numerator.of');
  const bad2 = await api(admin, 'POST', '/indicators', {
    title: '错',
    definition: {
      ...def,
      numerator: { source: 'fee_line', fn: 'count', where: { kind: 'cmp', op: '>', left: { kind: 'field', name: 'nope' }, right: { kind: 'lit', value: 1 } } },
    },
  });
  assert.equal(bad2.statusCode, 400);
  assert.equal(bad2.json().details[0].field, 'definition.numerator.where.left');

  const district = await t.loginAs('district_admin', { level: 'district', districtCode: IX.districtA });
  assert.equal((await api(district, 'POST', '/indicators', { title: 'x', definition: def })).statusCode, 403);
  const shenkangDistrict = await t.loginAs('shenkang_admin', { level: 'district', districtCode: IX.districtA });
  assert.equal((await api(shenkangDistrict, 'POST', '/indicators', { title: 'x', definition: def })).statusCode, 403);
  const builtin = ids['visits.outpatient'];
  assert.equal((await api(admin, 'POST', `/indicators/${builtin}/archive`)).statusCode, 403);
  assert.equal((await api(admin, 'POST', `/indicators/${ind.id}/archive`)).statusCode, 200);
  assert.equal((await api(admin, 'GET', `/indicators/${ind.id}`)).statusCode, 404);
});

test("the editor previews an unsaved definition: sentence and the last 12 months' value, managers only", async () => {
  const def = { numerator: { source: 'encounter', fn: 'count' }, multiplier: 1, unit: '人次', precision: 0 };
  const r = await api(admin, 'POST', '/indicators/preview', { definition: def });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().sentence, '就诊数，单位：人次');
  assert.equal(typeof r.json().result.value, 'number');
  const bad = await api(admin, 'POST', '/indicators/preview', { definition: { ...def, numerator: { source: 'encounter', fn: 'sum', of: 'kind' } } });
  assert.equal(bad.statusCode, 400);
  const user = await t.loginAs('hospital_user', { level: 'institution', districtCode: IX.districtA, institutionId: IX.instA });
  assert.equal((await api(user, 'POST', '/indicators/preview', { definition: def })).statusCode, 403);
});
