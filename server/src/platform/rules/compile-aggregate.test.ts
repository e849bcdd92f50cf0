/**
 * Aggregates (custom indicators' numerators and denominators): the SQL side and the in-memory side give
 * the same groups and values for random filters, dimensions and measures over random data, and the
 * checker refuses what cannot be computed, in zh-CN.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database } from '../db/types.ts';
import { SeededRng } from '../world/rng.ts';
import { openTestDb } from '../../test/db.ts';
import type { Expr, FieldRef, ValueType } from './ast.ts';
import { and, eq, gt, lit, ref, trunc } from './build.ts';
import {
  type Aggregate,
  type AggregateRow,
  checkAggregate,
  compileAggregate,
  evaluateAggregate,
  type MeasureFn,
  runAggregateSql,
} from './compile-aggregate.ts';
import { RuleGenerator, randomDataset } from './random-rules.ts';
import { createTables, loadDataset, testCatalog as catalog } from './testing.ts';

let db: Database;
let drop: () => Promise<void>;
before(async () => {
  ({ db, drop } = await openTestDb());
  await db.transaction((tx) => createTables(tx, catalog));
});
after(() => drop());

function canonical(rows: AggregateRow[]): string[] {
  return rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'number' && Object.is(v, -0) ? 0 : v))).sort();
}

test('fixed example: fee amounts per encounter kind and month, exact sums, NULL dimension is a group', async () => {
  const data = {
    encounter: [
      { id: 1, kind: 'op', visit_date: '2024-01-05' },
      { id: 2, kind: 'ip', visit_date: '2024-01-20' },
      { id: 3, kind: null, visit_date: '2024-02-01' },
    ],
    fee_line: [
      { id: 1, encounter_id: 1, amount: 0.1, fee_date: '2024-01-05', item_code: '001', qty: 1 },
      { id: 2, encounter_id: 1, amount: 0.2, fee_date: '2024-01-31', item_code: '001', qty: 1 },
      { id: 3, encounter_id: 2, amount: 5, fee_date: '2024-02-01', item_code: '002', qty: 2 },
      { id: 4, encounter_id: 3, amount: null, fee_date: '2024-02-02', item_code: '001', qty: 1 },
      { id: 5, encounter_id: 3, amount: 7, fee_date: '2024-02-03', item_code: '003', qty: 0 },
    ],
  };
  await db.transaction((tx) => loadDataset(tx, catalog, data));
  const a: Aggregate = {
    source: 'fee_line',
    fn: 'sum',
    of: ref('amount'),
    where: gt(ref('qty'), 0),
    dimensions: [
      { name: 'kind', expr: ref('encounter.kind') },
      { name: 'month', expr: trunc(ref('fee_date'), 'month') },
    ],
  };
  const sql = await db.transaction((tx) => runAggregateSql(tx, catalog, a));
  const mem = evaluateAggregate(catalog, a, data);
  assert.deepEqual(canonical(sql), canonical(mem));
  assert.deepEqual(
    canonical(mem),
    canonical([
      { keys: ['op', '2024-01-01'], value: 0.3 },
      { keys: ['ip', '2024-02-01'], value: 5 },
      { keys: [null, '2024-02-01'], value: null },
    ]),
  );
  const distinct: Aggregate = { source: 'fee_line', fn: 'countDistinct', of: ref('encounter_id'), where: eq(ref('item_code'), lit('001')) };
  assert.deepEqual(await db.transaction((tx) => runAggregateSql(tx, catalog, distinct)), [{ keys: [], value: 2 }]);
  assert.deepEqual(evaluateAggregate(catalog, distinct, data), [{ keys: [], value: 2 }]);
});

test('the compiled query wraps the rule compiler: parameters, no pasted values', () => {
  const c = compileAggregate(catalog, {
    source: 'fee_line',
    fn: 'count',
    where: eq(ref('note'), lit("x'; drop")),
    dimensions: [{ name: 'i', expr: ref('item_code') }],
  });
  assert.match(
    c.text,
    /^SELECT q\.c0 AS d0, count\(\*\)::int8 AS value FROM \(SELECT t\."id" AS key, t\."item_code" AS c0 FROM "rules_test"\."fee_line" t WHERE/,
  );
  assert.ok(!c.text.includes('drop'));
  assert.match(c.text, /GROUP BY 1$/);
  assert.deepEqual(c.params, ["x'; drop"]);
});

test('the checker explains what cannot be computed', () => {
  const p = (a: unknown) => checkAggregate(catalog, a as Aggregate).map((x) => `${x.path}: ${x.message}`);
  assert.deepEqual(p({ source: 'nope', fn: 'count' }), ['source: 未知的数据源「nope」']);
  assert.deepEqual(p({ source: 'fee_line', fn: 'sum', of: ref('note') }), ['of: 求和只能用于数值字段，「备注」不是数值']);
  assert.deepEqual(p({ source: 'fee_line', fn: 'sum' }), ['of: 「求和」须指定字段']);
  assert.deepEqual(p({ source: 'fee_line', fn: 'count', where: ref('qty') }), ['where: 筛选条件须是条件（是/否）']);
  assert.equal(p({ source: 'fee_line', fn: 'count', where: eq(ref('nope'), 1) })[0], 'where.left: 「收费明细」没有字段「nope」');
  assert.deepEqual(p({ source: 'fee_line', fn: 'count', dimensions: [{ name: 'a', expr: ref('amount') }] }), [
    'dimensions[0]: 维度须是整数、文本、代码、日期、时间或是/否',
  ]);
  assert.deepEqual(
    p({
      source: 'fee_line',
      fn: 'count',
      dimensions: [
        { name: 'a', expr: ref('qty') },
        { name: 'a', expr: ref('qty') },
      ],
    }),
    ['dimensions[1]: 维度「a」重复'],
  );
  assert.deepEqual(p({ source: 'fee_line', fn: 'count', of: ref('qty') }), ['of: 计数按行统计，不指定字段']);
});

test('SQL and in-memory aggregates agree on random filters, dimensions and measures over random data', { timeout: 600_000 }, async (t) => {
  const rng = new SeededRng(Number(process.env.RULES_AGREEMENT_SEED ?? 20261126), 'aggregate-agreement');
  const gen = new RuleGenerator(catalog, rng);
  const sources = [...catalog.sources.values()];
  const failures: string[] = [];
  let n = 0;
  let nonEmpty = 0;
  for (let d = 0; d < 3; d++) {
    const data = randomDataset(catalog, rng, { person: 14, practitioner: 6, qualification: 10, encounter: 30, fee_line: 90 });
    await db.transaction((tx) => loadDataset(tx, catalog, data));
    for (let i = 0; i < 40; i++) {
      const src = rng.pick(sources);
      const fields = [...src.fields.values()];
      const fn = rng.pick<MeasureFn>(['count', 'countDistinct', 'sum']);
      const a: Aggregate = { source: src.name, fn };
      if (fn !== 'count') {
        const candidates = fields.filter((f) => fn === 'countDistinct' || f.type === 'integer' || f.type === 'number');
        if (candidates.length === 0) continue;
        a.of = ref(rng.pick(candidates).name) as FieldRef;
      }
      if (rng.chance(0.8)) a.where = gen.bool(src, 2, false);
      const dims: { name: string; expr: Expr }[] = [];
      for (let k = rng.int(0, 2); k > 0; k--) {
        const t = rng.pick<ValueType>(['integer', 'code', 'string', 'date', 'boolean']);
        const e = t === 'date' && rng.chance(0.5) ? trunc(gen.expr(src, 'date', 1, false), 'month') : gen.expr(src, t, 1, false);
        dims.push({ name: `x${k}`, expr: e });
      }
      if (dims.length) a.dimensions = dims;
      assert.deepEqual(checkAggregate(catalog, a), [], JSON.stringify(a));
      const opts = { today: gen.today() };
      const sql = await db.transaction((tx) => runAggregateSql(tx, catalog, a, opts));
      const mem = evaluateAggregate(catalog, a, data, opts);
      n++;
      if (sql.some((r) => r.value !== null && r.value !== 0)) nonEmpty++;
      if (JSON.stringify(canonical(sql)) !== JSON.stringify(canonical(mem))) {
        failures.push(`${JSON.stringify(a)}\nSQL ${JSON.stringify(canonical(sql))}\nmem ${JSON.stringify(canonical(mem))}`);
      }
    }
  }
  t.diagnostic(`${n} aggregates, ${nonEmpty} with non-zero values`);
  assert.deepEqual(failures.slice(0, 3), []);
  assert.ok(nonEmpty > n / 3, `only ${nonEmpty} of ${n} aggregates had values`);
});

test('and() of conditions from two sources stays one source: a filter reaching another source goes through its relation', () => {
  const a: Aggregate = {
    source: 'fee_line',
    fn: 'count',
    where: and(eq(ref('encounter.kind'), lit('ip')), gt(ref('encounter.person.height'), lit(1.5, 'number'))),
  };
  assert.deepEqual(checkAggregate(catalog, a), []);
  assert.match(compileAggregate(catalog, a).text, /LEFT JOIN "rules_test"\."person"/);
});
