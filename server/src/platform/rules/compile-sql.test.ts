import assert from 'node:assert/strict';
import { test } from 'node:test';
import { and, count, eq, gt, isIn, lit, lt, or, ref, rule, startsWith, sum } from './build.ts';
import { compileCount, compileRule } from './compile-sql.ts';
import { testCatalog as catalog } from './testing.ts';

test('values are parameters and identifiers come from the catalog only', () => {
  const evil = "'; DROP TABLE person; --";
  const r = rule('fee_line', 't', 't', and(eq(ref('note'), lit(evil)), startsWith(ref('note'), '50%_off\\')), [{ name: 'x"; drop', expr: ref('qty') }]);
  const c = compileRule(catalog, r);
  assert.ok(!c.text.includes('DROP') && !c.text.includes('off') && !c.text.includes('drop'));
  assert.deepEqual(c.params, [evil, '50\\%\\_off\\\\%']);
  assert.deepEqual(c.columns, ['x"; drop']);
  assert.match(c.text, /^SELECT t\."id" AS key, t\."qty" AS c0 FROM "rules_test"\."fee_line" t WHERE /);
});

test('a membership test is one array parameter, however long the list', () => {
  const c = compileRule(catalog, rule('fee_line', 't', 't', isIn(ref('item_code'), ['001', '002', '003'])));
  assert.match(c.text, /= ANY\(\$1::text\[\]\)/);
  assert.deepEqual(c.params, [['001', '002', '003']]);
});

test('text ordering is pinned to code points; equality is not', () => {
  const c = compileRule(catalog, rule('fee_line', 't', 't', and(lt(ref('note'), lit('m')), eq(ref('note'), lit('x')))));
  assert.match(c.text, /t\."note" COLLATE "C" < \$1::text COLLATE "C"/);
  assert.match(c.text, /t\."note" = \$2::text\)/);
});

test('aggregates sharing over/by/where share one grouped subquery', () => {
  const per = { over: ['fee_lines'] };
  const r = rule('encounter', 't', 't', and(gt(count(per), 2), gt(sum('amount', per), 5000)), [{ name: 'n', expr: count(per) }]);
  const c = compileRule(catalog, r);
  assert.equal(c.text.match(/JOIN \(SELECT/g)?.length, 1);
  assert.match(c.text, /count\(\*\) AS v0, sum\(r\d+\."amount"\) AS v1/);
  assert.match(c.text, /GROUP BY 1 HAVING count\(\*\) > \$\d+::int8 AND sum\(r\d+\."amount"\) > \$\d+::\w+\) a\d+ ON a\d+\.k0 = t\."id"/);
});

test('a condition every hit needs filters the groups (HAVING, inner join); one an empty window meets does not', () => {
  const per = { over: ['fee_lines'] };
  const needed = compileRule(catalog, rule('encounter', 't', 't', and(gt(ref('total'), 1), gt(count(per), 2))));
  assert.match(needed.text, / JOIN \(SELECT .* HAVING count\(\*\) > \$\d+::int8\) a\d+ ON /);
  assert.doesNotMatch(needed.text, /LEFT JOIN \(SELECT/);
  // count < 3 is true for an encounter without fee lines: every group must be joined back.
  const empty = compileRule(catalog, rule('encounter', 't', 't', lt(count(per), 3)));
  assert.match(empty.text, /LEFT JOIN \(SELECT/);
  assert.doesNotMatch(empty.text, /HAVING/);
  // Under OR the aggregate is not needed by every hit.
  const either = compileRule(catalog, rule('encounter', 't', 't', or(gt(ref('total'), 1), gt(count(per), 2))));
  assert.doesNotMatch(either.text, /HAVING/);
  // Constant on the left: 2 < count means count > 2.
  const flipped = compileRule(catalog, rule('encounter', 't', 't', { kind: 'cmp', op: '<', left: lit(2), right: count(per) }));
  assert.match(flipped.text, /HAVING count\(\*\) > \$\d+::int8/);
});

test('count and preview queries', () => {
  const r = rule('fee_line', 't', 't', gt(ref('qty'), 1));
  assert.equal(compileCount(catalog, r).text, 'SELECT count(*)::int8 AS n FROM "rules_test"."fee_line" t WHERE (t."qty" > $1::int8)');
  const p = compileRule(catalog, r, { limit: 20 });
  assert.match(p.text, /ORDER BY 1 LIMIT \$2::int8$/);
  assert.deepEqual(p.params, [1, 20]);
  const inc = compileRule(catalog, rule('encounter', 't', 't', gt(ref('total'), 1)), { changedSince: new Date('2024-01-01T00:00:00Z') });
  assert.match(inc.text, /AND t\."updated_at" > \$2::timestamptz$/);
  assert.equal(inc.params[1], '2024-01-01T00:00:00.000Z');
});
