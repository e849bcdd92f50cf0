import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../../test/harness.ts';
import { parseCsv } from './csv.ts';
import { importDivisions, streetKind } from './import-divisions.ts';
import { ImportError } from './import-errors.ts';
import { sharedDataPath } from './test-support.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());

const run = (csv: string) => t.kernel.db.transaction((tx) => importDivisions(tx, csv));
const count = async (level: string) => (await t.kernel.db.query<{ n: number }>('select count(*)::int as n from region where level = $1', [level]))[0]!.n;

test('CSV parsing: quotes, doubled quotes, commas and line breaks in fields, CRLF, BOM, blank lines', () => {
  const rows = parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n\r\n"two\nlines",z\n');
  assert.deepEqual(rows, [
    { line: 1, cells: ['a', 'b'] },
    { line: 2, cells: ['x, y', 'say "hi"'] },
    { line: 4, cells: ['two\nlines', 'z'] },
  ]);
  assert.throws(() => parseCsv('a\n"open'), /引号未闭合/);
});

test('street kinds come from the name', () => {
  assert.equal(streetKind('南京东路街道'), '街道');
  assert.equal(streetKind('真如镇街道'), '街道');
  assert.equal(streetKind('华泾镇'), '镇');
  assert.equal(streetKind('横沙乡'), '乡');
  assert.equal(streetKind('漕河泾新兴技术开发区'), '其他');
});

test('the real 统计用区划 street list imports (234 rows), and again without changes', async (ctx) => {
  const file = sharedDataPath('admin_divisions/shanghai_streets.csv');
  if (!file) return ctx.skip('../shared/data is not beside the repository');
  const csv = readFileSync(file, 'utf8');
  const r = await run(csv);
  assert.deepEqual(r, { rows: 234, streets: 234, communities: 0, inserted: 234, updated: 0, unchanged: 0 });
  assert.equal(await count('street'), 234);
  const row = (await t.kernel.db.query<Record<string, unknown>>("select * from region where code = '310101002'"))[0]!;
  assert.equal(row.name, '南京东路街道');
  assert.equal(row.parent_code, '310101');
  assert.equal(row.district_code, '310101');
  assert.equal(row.kind, '街道');
  assert.equal(row.source, 'import');
  const kinds = await t.kernel.db.query<{ kind: string; n: number }>(
    "select kind, count(*)::int as n from region where level = 'street' group by kind order by kind",
  );
  // SOURCES.md: 19 rows are 开发区, 工业区 or 农场 units; 新村乡 and 横沙乡 are 乡.
  assert.equal(kinds.find((k) => k.kind === '其他')?.n, 19);
  assert.equal(kinds.find((k) => k.kind === '乡')?.n, 2);
  const again = await run(csv);
  assert.equal(again.unchanged, 234);
  assert.equal(again.inserted + again.updated, 0);
});

test('one bad row writes nothing, and the error lists every bad row', async () => {
  const before = await count('street');
  const csv = [
    'code,name,parent_code',
    '310104901,测试一街道,310104',
    '310104902,,310104', // line 3: empty name
    '310199903,测试三街道,310199', // line 4: no such district
    '310104904,测试四街道,310105', // line 5: parent is not its district
    '310104905001,某居委,310104905', // line 6: street unknown
  ].join('\n');
  await assert.rejects(run(csv), (e: unknown) => {
    assert.ok(e instanceof ImportError);
    assert.deepEqual([...new Set(e.problems.map((p) => p.line))], [3, 4, 5, 6]);
    assert.match(e.message, /第 3、4、5、6 行/);
    assert.match(e.message, /未写入任何数据/);
    return true;
  });
  assert.equal(await count('street'), before);
  assert.equal((await t.kernel.db.query("select 1 from region where code = '310104901'")).length, 0);
});

test('generic code,name,parent_code: streets and 居委 together, parents in NBS 12-digit form too', async () => {
  const r = await run('code,name,parent_code\n310104990,试点街道,310104\n310104990001,甲居委会,310104990000\n310104990002,乙村村委会,310104990\n');
  assert.deepEqual(r, { rows: 3, streets: 1, communities: 2, inserted: 3, updated: 0, unchanged: 0 });
  const rows = await t.kernel.db.query<Record<string, unknown>>(
    "select code, level, parent_code, street_code, district_code, kind from region where code like '310104990%' order by code",
  );
  assert.deepEqual(
    rows.map((x) => [x.code, x.level, x.parent_code, x.street_code, x.district_code, x.kind]),
    [
      ['310104990', 'street', '310104', '310104990', '310104', '街道'],
      ['310104990001', 'community', '310104990', '310104990', '310104', '居委'],
      ['310104990002', 'community', '310104990', '310104990', '310104', '村委'],
    ],
  );
  const renamed = await run('code,name,parent_code\n310104990001,甲居民委员会,310104990\n');
  assert.equal(renamed.updated, 1);
});

test('duplicates, malformed codes and a street list with 12-digit codes are refused', async () => {
  await assert.rejects(run('code,name,parent_code\n310104991,A街道,310104\n310104991,B街道,310104\n'), /第 3 行/);
  await assert.rejects(run('code,name,parent_code\n31010499,短码,310104\n'), /第 2 行/);
  await assert.rejects(run('code,name,parent_code\n310104990000,街镇本身,310104990\n'), /第 2 行/);
  await assert.rejects(run('code,name,areaCode,provinceCode,cityCode\n310104990001,居委,310104,31,3101\n'), /第 2 行/);
  await assert.rejects(run('foo,bar\n1,2\n'), /表头/);
});

test('10k+ 居委 import in one COPY-staged statement, fast', async () => {
  await run('code,name,parent_code\n310115980,大批量街道,310115\n');
  const lines = ['code,name,parent_code'];
  for (let i = 1; i <= 999; i++) lines.push(`310115980${String(i).padStart(3, '0')},第${i}居委会,310115980`);
  await run(
    'code,name,parent_code\n310115981,大批量二街道,310115\n310115982,大批量三街道,310115\n310115983,大批量四街道,310115\n310115984,大批量五街道,310115\n310115985,大批量六街道,310115\n310115986,大批量七街道,310115\n310115987,大批量八街道,310115\n310115988,大批量九街道,310115\n310115989,大批量十街道,310115\n310115979,大批量十一街道,310115\n310115978,大批量十二街道,310115\n',
  );
  for (const s of ['981', '982', '983', '984', '985', '986', '987', '988', '989', '979', '978']) {
    for (let i = 1; i <= 999; i++) lines.push(`310115${s}${String(i).padStart(3, '0')},${s}第${i}居委会,310115${s}`);
  }
  const started = Date.now();
  const r = await run(`${lines.join('\n')}\n`);
  const ms = Date.now() - started;
  assert.equal(r.rows, 11_988);
  assert.equal(r.inserted, 11_988);
  assert.ok(ms < 15_000, `took ${ms} ms`);
});
