import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Expr } from './ast.ts';
import { and, div, eq, gt, isNull, lit, lt, not, num, or, ref, rule, sub } from './build.ts';
import { compareText, compileEvaluator, evaluateOne } from './evaluate.ts';
import { testCatalog as catalog } from './testing.ts';

/** The three-valued result of a condition on one fee line. */
const judge = (when: Expr, row: Record<string, unknown>) => evaluateOne(catalog, rule('fee_line', 't', 't', when), row).result;

test('NULL follows SQL: unknown comparisons, Kleene and/or, not unknown is unknown', () => {
  const T = eq(ref('qty'), 1);
  const F = eq(ref('qty'), 2);
  const U = eq(ref('price'), num(1));
  const row = { id: 1, qty: 1, price: null };
  assert.equal(judge(U, row), null);
  assert.equal(judge(not(U), row), null);
  assert.equal(judge(and(T, U), row), null);
  assert.equal(judge(and(F, U), row), false);
  assert.equal(judge(or(T, U), row), true);
  assert.equal(judge(or(F, U), row), null);
  assert.equal(judge(isNull(ref('price')), row), true);
  assert.equal(judge(isNull(U), row), true);
  assert.equal(judge({ kind: 'between', arg: ref('qty'), low: lit(null, 'integer'), high: lit(0) }, row), false);
  assert.equal(judge({ kind: 'between', arg: ref('qty'), low: lit(null, 'integer'), high: lit(5) }, row), null);
  assert.equal(judge({ kind: 'in', arg: ref('price'), values: [1] }, row), null);
});

test('integer ÷ integer truncates toward zero; ÷ 0 is NULL, not an error', () => {
  const row = { id: 1, qty: -7, price: 2 };
  assert.equal(judge(eq(div(ref('qty'), 2), -3), row), true);
  assert.equal(judge(eq(div(ref('qty'), num(2)), num(-3.5)), row), true);
  assert.equal(judge(isNull(div(ref('qty'), sub(ref('price'), 2))), row), true);
  assert.equal(judge(isNull(div(ref('qty'), 0)), row), true);
});

test('text order is by code point, as COLLATE "C" orders UTF-8', () => {
  assert.ok(compareText('ｚ', '😀') < 0); // U+FF5A before U+1F600, though its UTF-16 unit is larger
  assert.ok(compareText('\uE000', '𠀀') < 0);
  assert.ok(compareText('a', 'ab') < 0);
  assert.ok(compareText('B', 'a') < 0);
  assert.equal(compareText('中文', '中文'), 0);
  assert.equal(judge(lt(ref('note'), lit('😀')), { id: 1, note: 'ｚ' }), true);
});

test('a compiled rule judges many records without recompiling', () => {
  const ev = compileEvaluator(catalog, rule('fee_line', 't', 't', and(gt(ref('amount'), num(100)), eq(ref('item_code'), lit('001')))));
  const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i, amount: i, item_code: i % 2 ? '001' : '002' }));
  const hits = ev.run({ fee_line: rows });
  assert.equal(hits.length, 450);
  assert.deepEqual(hits[0], { key: 101, values: {} });
  assert.equal(ev.one(rows[101]!).result, true);
  assert.equal(ev.one({ id: 5, amount: null, item_code: '001' }).result, null);
});

test('values reported in the shape the database returns', () => {
  const r = rule('fee_line', 't', 't', lit(true), [
    { name: 'day', expr: { kind: 'dateOf', arg: ref('charged_at') } },
    { name: 'at', expr: ref('charged_at') },
    { name: 'month', expr: { kind: 'trunc', arg: ref('fee_date'), unit: 'month' } },
  ]);
  const out = evaluateOne(catalog, r, { id: 1, charged_at: new Date('2024-02-29T16:00:00Z'), fee_date: '2024-02-29' });
  assert.deepEqual(out.values, { day: '2024-03-01', at: new Date('2024-02-29T16:00:00Z'), month: '2024-02-01' });
});
