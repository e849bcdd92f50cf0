import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Expr } from './ast.ts';
import {
  add,
  and,
  between,
  contains,
  count,
  countDistinct,
  date,
  dateAdd,
  dateOf,
  daysBetween,
  eq,
  gt,
  isIn,
  isNull,
  le,
  lit,
  max,
  mul,
  ne,
  not,
  num,
  or,
  ref,
  rule,
  startsWith,
  trunc,
} from './build.ts';
import { describeExpr, describeRule } from './describe.ts';
import { testCatalog as catalog } from './testing.ts';

const fee = (e: Expr) => describeExpr(catalog, 'fee_line', e);
const enc = (e: Expr) => describeExpr(catalog, 'encounter', e);

test('comparisons name fields by their titles and codes by their labels', () => {
  assert.equal(fee(eq(ref('item_code'), lit('001'))), '收费项目 等于 「B超」');
  assert.equal(fee(ne(ref('encounter.person.hukou'), lit('sh'))), '就诊的患者的户籍 不等于 「上海」');
  assert.equal(fee(le(ref('amount'), num(99.5))), '金额 小于等于 99.5');
  assert.equal(fee(eq(ref('encounter.practitioner.licensed'), false)), '就诊的医师的具备执业资格为“否”');
  assert.equal(fee(isIn(ref('item_code'), ['001', '002'])), '收费项目 属于 「B超」、「心电图」');
  assert.equal(fee(not(isIn(ref('item_code'), ['X01']))), '收费项目 不属于 「限制类技术甲」');
});

test('and/or nest with brackets only where needed', () => {
  const a = eq(ref('qty'), 1);
  const b = gt(ref('amount'), num(10));
  const c = isNull(ref('note'));
  assert.equal(fee(and(a, or(b, c))), '数量 等于 1，且 （金额 大于 10，或 备注 为空）');
  assert.equal(fee(or(and(a, b), c)), '（数量 等于 1，且 金额 大于 10），或 备注 为空');
  assert.equal(fee(not(and(a, b))), '并非（数量 等于 1，且 金额 大于 10）');
  assert.equal(fee(not(isNull(ref('note')))), '备注 不为空');
  assert.equal(fee(eq(gt(ref('qty'), 1), lit(true))), '（数量 大于 1）为“是”');
});

test('text, ranges, dates and arithmetic', () => {
  assert.equal(fee(startsWith(ref('note'), '急')), '备注 以「急」开头');
  assert.equal(fee(not(contains(ref('note'), '自费'))), '备注 不包含「自费」');
  assert.equal(fee(between(ref('fee_date'), date('2024-01-01'), date('2024-01-31'))), '收费日期 介于 「2024-01-01」 与 「2024-01-31」 之间（含两端）');
  assert.equal(enc(gt(ref('discharge_date'), dateAdd(ref('visit_date'), 30, 'day'))), '出院日期 大于 就诊日期后30天');
  assert.equal(enc(gt(ref('discharge_date'), dateAdd(ref('visit_date'), -1, 'month'))), '出院日期 大于 就诊日期前1个月');
  assert.equal(enc(gt(daysBetween(ref('visit_date'), ref('discharge_date')), 30)), '就诊日期至出院日期的天数 大于 30');
  assert.equal(fee(gt(mul(ref('qty'), ref('price')), add(ref('amount'), num(0.01)))), '数量 × 单价 大于 金额 + 0.01');
  assert.equal(fee(eq(dateOf(ref('charged_at')), ref('fee_date'))), '收费时间的日期 等于 收费日期');
});

test('aggregations read as windows or as related rows', () => {
  assert.equal(enc(gt(count({ over: ['fee_lines'], where: eq(ref('item_code'), lit('001')) }), 2)), '该就诊的收费明细中收费项目 等于 「B超」的条数 大于 2');
  assert.equal(enc(gt(countDistinct('item_code', { over: ['fee_lines'] }), 5)), '该就诊的收费明细中不同收费项目的个数 大于 5');
  assert.equal(enc(gt(count({ by: [ref('practitioner_id'), trunc(ref('visit_date'), 'month')] }), 300)), '同一医师同一月内就诊条数 大于 300');
  assert.equal(
    fee(eq(max('fee_date', { by: [ref('encounter.person_id'), dateOf(ref('charged_at'))] }), ref('fee_date'))),
    '同一患者同一天内收费明细收费日期最大值 等于 收费日期',
  );
});

test('half-built rules still read, with ？ for the missing parts', () => {
  assert.equal(describeRule(catalog, rule('fee_line', 'x', 'x', { kind: 'cmp', op: '>', left: ref('qty') } as unknown as Expr)), '数量 大于 ？');
  assert.equal(describeRule(catalog, rule('nope', 'x', 'x', lit(true))), '？');
});
