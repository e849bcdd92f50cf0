import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Expr, Rule } from './ast.ts';
import { and, count, dateAdd, eq, ge, gt, isIn, lit, lt, not, num, ref, rule, startsWith, sum, timestamp } from './build.ts';
import { checkExpr, checkRule, RuleError, typeOf } from './check.ts';
import { compileRule } from './compile-sql.ts';
import { evaluate } from './evaluate.ts';
import { testCatalog as catalog } from './testing.ts';

const fee = (when: Expr): Rule => rule('fee_line', 't', '测试', when);
const messages = (r: Rule) => checkRule(catalog, r).map((p) => p.message);

/** The rule is refused with a message matching `re` (and only problems of that kind). */
function refused(r: Rule, re: RegExp) {
  const ms = messages(r);
  assert.ok(ms.length > 0, `expected a refusal for ${JSON.stringify(r.when)}`);
  assert.ok(
    ms.some((m) => re.test(m)),
    `expected ${re} among ${JSON.stringify(ms)}`,
  );
}

test('well-formed rules have no problems', () => {
  assert.deepEqual(messages(fee(and(eq(ref('item_code'), lit('001')), gt(ref('amount'), num(10.5))))), []);
  assert.deepEqual(messages(fee(gt(count({ by: [ref('encounter.person_id'), ref('fee_date')] }), 2))), []);
  assert.deepEqual(messages(rule('encounter', 't', '测试', gt(sum('amount', { over: ['fee_lines'] }), 5000))), []);
  assert.deepEqual(messages(fee(eq(ref('encounter.person.hukou'), lit('sh')))), []);
});

test('unknown sources, fields and relations are named in Chinese', () => {
  refused(rule('nope', 't', '测试', lit(true)), /未知的数据源「nope」/);
  refused(fee(eq(ref('nope'), 1)), /「收费明细」没有字段「nope」/);
  refused(fee(eq(ref('doctor.name'), lit('x'))), /「收费明细」没有关系「doctor」/);
  refused(fee(eq(ref('encounter.person.nope'), 1)), /「人员」没有字段「nope」/);
});

test('type mismatches are refused', () => {
  refused(fee(eq(ref('fee_date'), lit('2024-01-01'))), /「收费日期」（日期）不能与「2024-01-01」（文本）比较/);
  refused(fee(gt(ref('charged_at'), lit('2024-01-01', 'date'))), /（时间）不能与.*（日期）比较/);
  refused(fee(ref('qty')), /规则条件须是条件（是\/否），而这里是整数/);
  refused(fee(and(ref('qty'), lit(true))), /此处需要条件（是\/否），而「数量」是整数/);
  refused(fee(gt(ref('encounter.practitioner.licensed'), lit(false))), /是\/否只能比较相等或不等/);
  refused(fee(startsWith(ref('qty'), '1')), /「数量」不是文本/);
  refused(fee(eq(dateAdd(ref('fee_date'), num(1.5), 'day'), ref('fee_date'))), /日期加减的数量须是整数/);
  refused(fee(eq({ kind: 'arith', op: '+', left: ref('fee_date'), right: lit(1) }, lit(2))), /算术运算只能用于数值，「收费日期」是日期/);
});

test('codes: only equality and prefixes, and only codes of their list', () => {
  refused(fee(eq(ref('item_code'), lit('999'))), /「999」不在代码表「收费项目」中/);
  refused(fee(isIn(ref('item_code'), ['001', '998'])), /「998」不在代码表「收费项目」中/);
  refused(fee(lt(ref('item_code'), lit('002'))), /代码只能比较相等或不等/);
  refused(fee(eq(ref('item_code'), ref('encounter.kind'))), /属于不同的代码表/);
  assert.deepEqual(messages(fee(startsWith(ref('item_code'), 'X'))), []);
});

test('aggregations must follow catalog relations', () => {
  refused(fee(gt(count({ over: ['practitioner'] }), 0)), /「收费明细」与「practitioner」之间没有目录中登记的关系，聚合只能沿关系进行/);
  refused(fee(gt(count({ over: ['encounter'] }), 0)), /须包含一对多关系/);
  refused(rule('encounter', 't', '测试', gt(ref('fee_lines.amount'), 1)), /关系「收费明细」是一对多，取其中字段须使用聚合/);
  refused(fee(gt({ kind: 'agg', fn: 'count' }, 0)), /聚合须二选一/);
  refused(fee(gt({ kind: 'agg', fn: 'count', over: ['encounter', 'fee_lines'], by: [ref('qty')] }, 0)), /聚合须二选一/);
  refused(fee(gt(count({ by: [] }), 0)), /至少有一个分组键/);
  refused(fee(gt({ kind: 'agg', fn: 'sum', by: [ref('fee_date')] }, 0)), /「求和」须指定字段/);
  refused(fee(gt(sum('item_code', { by: [ref('fee_date')] }), 0)), /「求和」只能用于数值字段，「收费项目」是代码/);
  refused(
    fee(gt({ kind: 'agg', fn: 'max', by: [ref('fee_date')], of: ref('encounter.practitioner.licensed') }, lit(true))),
    /「最大值」只能用于数值、日期、时间或文本字段/,
  );
  refused(fee(gt(count({ by: [ref('fee_date')], where: gt(count({ by: [ref('qty')] }), 1) }), 0)), /不能再嵌套聚合/);
  refused(fee(gt(count({ by: [ref('fee_date')], where: ref('qty') }), 0)), /筛选条件须是条件/);
});

test('constants are checked against their types', () => {
  refused(fee(eq(ref('fee_date'), lit(null))), /空值常量须注明类型/);
  refused(fee(eq(ref('fee_date'), lit('2023-02-29', 'date'))), /「2023-02-29」不是日期/);
  refused(fee(eq(ref('charged_at'), timestamp('2024-01-01T08:00:00'))), /不是带时区的时间/);
  refused(fee(eq(ref('qty'), lit(1.5, 'integer'))), /「1.5」不是整数/);
  refused(fee(isIn(ref('qty'), [])), /取值列表不能为空/);
  refused(fee(isIn(ref('qty'), [1, null as unknown as number])), /不能有空值/);
  refused(fee(isIn(ref('fee_date'), ['2024-13-01'])), /不是日期/);
  assert.deepEqual(messages(fee(eq(ref('charged_at'), timestamp('2024-01-01 08:00:00+08')))), []);
});

test('garbage from the builder is refused, not thrown', () => {
  const bad = (when: unknown) => rule('fee_line', 't', '测试', when as Expr);
  refused(bad(null), /缺少表达式/);
  refused(bad({ kind: 'bogus' }), /未知的表达式类型「bogus」/);
  refused(bad({ kind: 'cmp', op: 'like', left: ref('qty'), right: lit(1) }), /未知的比较运算「like」/);
  refused(bad({ kind: 'and', args: [] }), /至少需要一个条件/);
  refused(bad({ kind: 'field', name: 'qty', path: 'encounter' }), /字段路径须是关系名列表/);
  let deep: Expr = lit(true);
  for (let i = 0; i < 100; i++) deep = not(deep);
  refused(bad(deep), /嵌套过深/);
  const r = { ...fee(lit(true)), id: '', version: 0, title: ' ' };
  assert.deepEqual(
    checkRule(catalog, r).map((p) => p.path),
    ['id', 'version', 'title'],
  );
  const dup = {
    ...fee(lit(true)),
    select: [
      { name: 'a', expr: ref('qty') },
      { name: 'a', expr: ref('qty') },
    ],
  };
  refused(dup, /输出项名称「a」重复/);
});

test('problems carry the path of the offending node', () => {
  const [p] = checkRule(catalog, fee(and(eq(ref('qty'), 1), eq(ref('nope'), 1))));
  assert.deepEqual(p, { path: 'when.args[1].left', message: '「收费明细」没有字段「nope」' });
  const e = checkExpr(catalog, 'fee_line', ge(ref('qty'), 1));
  assert.deepEqual(e, { type: { type: 'boolean' }, problems: [] });
});

test('both back ends refuse an invalid rule with RuleError', () => {
  const r = fee(eq(ref('nope'), 1));
  assert.throws(() => compileRule(catalog, r), RuleError);
  assert.throws(
    () => evaluate(catalog, r, {}),
    (e: unknown) => e instanceof RuleError && /没有字段「nope」/.test(e.message),
  );
  assert.throws(() => typeOf(catalog, catalog.sources.get('fee_line')!, ref('nope')), RuleError);
});

test('types: integer ÷ integer stays integer, anything with a number is a number', () => {
  const src = catalog.sources.get('fee_line')!;
  assert.equal(typeOf(catalog, src, { kind: 'arith', op: '/', left: ref('qty'), right: lit(2) }).type, 'integer');
  assert.equal(typeOf(catalog, src, { kind: 'arith', op: '/', left: ref('qty'), right: num(2) }).type, 'number');
  assert.equal(typeOf(catalog, src, sum('qty', { by: [ref('fee_date')] })).type, 'integer');
  assert.equal(typeOf(catalog, src, sum('amount', { by: [ref('fee_date')] })).type, 'number');
  assert.equal(typeOf(catalog, src, { kind: 'agg', fn: 'max', by: [ref('fee_date')], of: ref('encounter.visit_date') }).type, 'date');
});
