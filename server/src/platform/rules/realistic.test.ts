import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database } from '../db/types.ts';
import { openTestDb } from '../../test/db.ts';
import type { Rule } from './ast.ts';
import { age, and, count, date, eq, ge, gt, isIn, isNull, lit, lt, num, or, ref, rule, sum, trunc } from './build.ts';
import { compileCount, countRuleSql, runRuleSql } from './compile-sql.ts';
import { describeRule } from './describe.ts';
import { type Dataset, evaluate, evaluateOne } from './evaluate.ts';
import { createTables, loadDataset, testCatalog as catalog } from './testing.ts';

const TODAY = '2024-06-30';

const data: Dataset = {
  person: [
    { id: 1, name: '张一', birth_date: '1959-06-30', hukou: 'sh', alive: true, height: 170.5 },
    { id: 2, name: '李二', birth_date: '1959-07-01', hukou: 'sh', alive: true, height: null },
    { id: 3, name: '王三', birth_date: '2021-07-01', hukou: 'sh', alive: true, height: 80 },
    { id: 4, name: '赵四', birth_date: '2021-06-30', hukou: 'sh', alive: true, height: 90 },
    { id: 5, name: '钱五', birth_date: '2022-02-28', hukou: 'other', alive: true, height: 70 },
    { id: 6, name: '孙六', birth_date: '2023-01-01', hukou: 'sh', alive: false, height: 50 },
    { id: 7, name: '周七', birth_date: '2022-05-05', hukou: 'sh', alive: null, height: 60 },
    { id: 8, name: '吴八', birth_date: null, hukou: 'sh', alive: true, height: 160 },
    { id: 9, name: '郑九', birth_date: '1940-02-29', hukou: 'sh', alive: true, height: 165 },
  ],
  practitioner: [
    { id: 1, name: '甲医生', title: 'senior', licensed: true, licensed_on: '2010-01-01' },
    { id: 2, name: '乙医生', title: 'junior', licensed: false, licensed_on: null },
    { id: 3, name: '丙医生', title: 'middle', licensed: true, licensed_on: '2015-05-31' },
    { id: 4, name: '丁医生', title: null, licensed: null, licensed_on: null },
  ],
  qualification: [
    { id: 1, practitioner_id: 1, kind: 'X01', valid_to: '2025-12-31' },
    { id: 2, practitioner_id: 3, kind: 'license', valid_to: '2030-01-01' },
    { id: 3, practitioner_id: 1, kind: 'license', valid_to: '2030-01-01' },
  ],
  encounter: [
    { id: 1, person_id: 1, practitioner_id: 1, kind: 'op', visit_date: '2024-03-01', total: null, updated_at: '2024-03-01T02:00:00Z' },
    { id: 2, person_id: 1, practitioner_id: 2, kind: 'op', visit_date: '2024-03-01', total: null, updated_at: '2024-03-01T03:00:00Z' },
    { id: 3, person_id: 2, practitioner_id: 3, kind: 'ip', visit_date: '2024-03-02', total: null, updated_at: '2024-04-01T00:00:00Z' },
    { id: 4, person_id: 3, practitioner_id: 4, kind: 'op', visit_date: '2024-03-03', total: null, updated_at: '2024-04-02T00:00:00Z' },
    { id: 5, person_id: null, practitioner_id: 1, kind: 'op', visit_date: '2024-03-31', total: null, updated_at: null },
  ],
  fee_line: [
    { id: 1, encounter_id: 1, item_code: '001', qty: 1, amount: 100, fee_date: '2024-03-01' },
    { id: 2, encounter_id: 1, item_code: '001', qty: 1, amount: 100, fee_date: '2024-03-01' },
    { id: 3, encounter_id: 2, item_code: '001', qty: 1, amount: 100, fee_date: '2024-03-01' },
    { id: 4, encounter_id: 1, item_code: '002', qty: 1, amount: 4799.99, fee_date: '2024-03-01' },
    { id: 5, encounter_id: 3, item_code: '001', qty: 1, amount: 2000, fee_date: '2024-03-02' },
    { id: 6, encounter_id: 3, item_code: '001', qty: 1, amount: 3000.01, fee_date: '2024-03-02' },
    { id: 7, encounter_id: 5, item_code: '001', qty: 1, amount: 1, fee_date: '2024-03-01' },
    { id: 8, encounter_id: 5, item_code: '001', qty: 1, amount: 1, fee_date: '2024-03-01' },
    { id: 9, encounter_id: 5, item_code: '001', qty: 1, amount: 1, fee_date: '2024-03-01' },
    { id: 10, encounter_id: 1, item_code: 'X01', qty: 1, amount: 0.01, fee_date: '2024-03-01' },
    { id: 11, encounter_id: 2, item_code: 'X01', qty: 1, amount: 500, fee_date: '2024-03-01' },
    { id: 12, encounter_id: 3, item_code: 'X01', qty: 1, amount: 500, fee_date: '2024-03-03' },
    { id: 13, encounter_id: 4, item_code: 'X01', qty: 1, amount: 500, fee_date: '2024-03-03' },
    { id: 14, encounter_id: 3, item_code: '001', qty: 1, amount: 10, fee_date: '2024-03-03' },
  ],
};

let db: Database;
let drop: () => Promise<void>;
before(async () => {
  ({ db, drop } = await openTestDb());
  await db.transaction(async (tx) => {
    await createTables(tx, catalog);
    await loadDataset(tx, catalog, data);
  });
});
after(() => drop());

/** Runs the rule both ways; both must give `expected` (sorted keys). */
async function bothWays(r: Rule, expected: number[]) {
  const sqlHits = await db.transaction((tx) => runRuleSql(tx, catalog, r, { today: TODAY }));
  const memHits = evaluate(catalog, r, data, { today: TODAY });
  const keys = (hs: { key: unknown }[]) => hs.map((h) => Number(h.key)).sort((a, b) => a - b);
  assert.deepEqual(keys(sqlHits), expected, `SQL hits of ${r.id}`);
  assert.deepEqual(keys(memHits), expected, `evaluator hits of ${r.id}`);
  const n = await db.transaction((tx) => countRuleSql(tx, catalog, r, { today: TODAY }));
  assert.equal(n, expected.length);
  return { sqlHits, memHits };
}

const bUltrasound = eq(ref('item_code'), lit('001'));
const sameDayUltrasound = rule(
  'fee_line',
  'fee.ultrasound.daily',
  '同一患者同一天 B超 收费超过 2 次',
  and(bUltrasound, gt(count({ by: [ref('encounter.person_id'), ref('fee_date')], where: bUltrasound }), 2)),
  [{ name: 'times', title: '当日次数', expr: count({ by: [ref('encounter.person_id'), ref('fee_date')], where: bUltrasound }) }],
);

test('同一患者同一天 B超 收费超过 2 次 — across encounters; a patient-less encounter is in no window', async () => {
  const { sqlHits, memHits } = await bothWays(sameDayUltrasound, [1, 2, 3]);
  assert.deepEqual(
    sqlHits.map((h) => h.values.times),
    [3, 3, 3],
  );
  assert.deepEqual(
    memHits.map((h) => h.values.times),
    [3, 3, 3],
  );
  assert.equal(describeRule(catalog, sameDayUltrasound), '收费项目 等于 「B超」，且 同一患者同一天内收费项目 等于 「B超」的收费明细条数 大于 2');
});

test('无执业资格医师开具限制类技术 — a to-one path then a to-many aggregation', async () => {
  const doctor = 'encounter.practitioner';
  const r = rule(
    'fee_line',
    'tech.restricted.unqualified',
    '无执业资格医师开具限制类技术',
    and(
      eq(ref('item_code'), lit('X01')),
      or(
        isNull(ref(`${doctor}.licensed`)),
        eq(ref(`${doctor}.licensed`), false),
        eq(
          count({ over: ['encounter', 'practitioner', 'qualifications'], where: and(eq(ref('kind'), lit('X01')), ge(ref('valid_to'), { kind: 'today' })) }),
          0,
        ),
      ),
    ),
  );
  await bothWays(r, [11, 12, 13]);
  assert.match(describeRule(catalog, r), /就诊的医师的具备执业资格 为空/);
  assert.match(describeRule(catalog, r), /该收费明细的就诊的医师的资质中资质类别 等于 「限制类技术甲授权」/);
});

test('年龄 ≥ 65 岁 — the birthday itself counts, 29 February included', async () => {
  const r = rule('person', 'tag.elderly', '老年人', ge(age(ref('birth_date')), 65));
  await bothWays(r, [1, 9]);
  assert.equal(describeRule(catalog, r), '按出生日期计算的当前周岁年龄 大于等于 65');
});

test('3 岁以下且户籍为上海且在世且政策日后出生 — unknown (alive NULL) is not a hit', async () => {
  const r = rule(
    'person',
    'subsidy.childcare',
    '育儿补贴对象',
    and(lt(age(ref('birth_date')), 3), eq(ref('hukou'), lit('sh')), eq(ref('alive'), true), gt(ref('birth_date'), date('2021-06-01'))),
  );
  await bothWays(r, [3]);
  assert.equal(describeRule(catalog, r), '按出生日期计算的当前周岁年龄 小于 3，且 户籍 等于 「上海」，且 在世为“是”，且 出生日期 大于 「2021-06-01」');
  // Single-record checks, as the subsidy screen will make them.
  assert.equal(evaluateOne(catalog, r, data.person![2]!, {}, { today: TODAY }).result, true);
  assert.equal(evaluateOne(catalog, r, data.person![6]!, {}, { today: TODAY }).result, null);
  assert.equal(evaluateOne(catalog, r, data.person![3]!, {}, { today: TODAY }).result, false);
});

test('单次就诊费用合计超过 5000 — exact decimal sums at the boundary', async () => {
  const over = (op: typeof gt) =>
    rule('encounter', `fee.total.${op === gt ? 'gt' : 'ge'}`, '单次就诊费用超过 5000 元', op(sum('amount', { over: ['fee_lines'] }), num(5000)), [
      { name: 'total', expr: sum('amount', { over: ['fee_lines'] }) },
    ]);
  const { sqlHits, memHits } = await bothWays(over(gt), [3]);
  assert.deepEqual(sqlHits[0]!.values, { total: 5510.01 });
  assert.deepEqual(memHits[0]!.values, { total: 5510.01 });
  await bothWays(over(ge), [1, 3]);
  assert.equal(describeRule(catalog, over(gt)), '该就诊的收费明细金额合计 大于 5000');
});

test('同一医师同一月接诊 ≥ 2 次, and an incremental run sees only changed rows', async () => {
  const r = rule('encounter', 'pract.monthly', '医师月接诊量', ge(count({ by: [ref('practitioner_id'), trunc(ref('visit_date'), 'month')] }), 2));
  await bothWays(r, [1, 5]);
  assert.equal(describeRule(catalog, r), '同一医师同一月内就诊条数 大于等于 2');
  // Incremental: windows still count every row; only rows changed after the instant are judged.
  const since = '2024-03-01T02:30:00Z';
  const sqlHits = await db.transaction((tx) => runRuleSql(tx, catalog, r, { today: TODAY, changedSince: since }));
  assert.deepEqual(sqlHits, []);
  const wide = rule('encounter', 'x', 'x', isIn(ref('kind'), ['op', 'ip']));
  const sqlWide = await db.transaction((tx) => runRuleSql(tx, catalog, wide, { changedSince: since }));
  const memWide = evaluate(catalog, wide, data, { changedSince: since });
  assert.deepEqual(sqlWide.map((h) => h.key).sort(), [2, 3, 4]);
  assert.deepEqual(
    memWide.map((h) => h.key),
    [2, 3, 4],
  );
  assert.throws(() => compileCount(catalog, sameDayUltrasound, { changedSince: since }), /未声明变更时间字段/);
});

test('evaluateOne judges a record with only its related rows', () => {
  const record = data.fee_line![0]!;
  const related: Dataset = { fee_line: data.fee_line!.slice(1, 3), encounter: data.encounter!.slice(0, 2) };
  const out = evaluateOne(catalog, sameDayUltrasound, record, related);
  assert.deepEqual(out, { result: true, values: { times: 3 } });
  const alone = evaluateOne(catalog, sameDayUltrasound, record, { encounter: data.encounter! });
  assert.deepEqual(alone, { result: false, values: { times: 1 } });
  // An edited copy of a stored row replaces it rather than being counted twice.
  const edited = { ...data.fee_line![1]!, item_code: '002' };
  const again = evaluateOne(catalog, sameDayUltrasound, edited, { fee_line: data.fee_line!, encounter: data.encounter! });
  assert.deepEqual(again, { result: false, values: { times: 2 } });
});
