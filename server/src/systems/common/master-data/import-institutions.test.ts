import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../../test/harness.ts';
import { importCommands } from './cli.ts';
import { importDivisions } from './import-divisions.ts';
import { importInstitutions } from './import-institutions.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
  await t.kernel.db.transaction((tx) => importDivisions(tx, 'code,name,parent_code\n310104003,天平路街道,310104\n310101002,南京东路街道,310101\n'));
});
after(() => t.close());

const run = (csv: string) => t.kernel.db.transaction((tx) => importInstitutions(tx, csv));
const HEADER = 'code,name,kind,level,grade,category,district_code,street_code,parent_code,address,phone';

test('imports institutions with Chinese or code labels; a 分院 may come before its 总院', async () => {
  const r = await run(
    [
      HEADER,
      'RJ-B1,瑞金医院北部院区,市级医院,三级,甲等,综合,310114,,RJ,"嘉定区希望路 999 号",021-67888999',
      'RJ,瑞金医院,city_hospital,3,甲,综合,310101,310101002,,瑞金二路 197 号,021-64370045',
      'CHC-TP,天平社区卫生服务中心,社区卫生服务中心,1,,,310104,310104003,,,',
    ].join('\n'),
  );
  assert.deepEqual(r, { rows: 3, inserted: 3, updated: 0, unchanged: 0 });
  const rows = await t.kernel.db.query<Record<string, unknown>>(
    'select i.code, i.kind, i.level, i.grade, i.category, p.code as parent from institution i left join institution p on p.id = i.parent_id order by i.code',
  );
  assert.deepEqual(
    rows.map((x) => [x.code, x.kind, x.level, x.grade, x.category, x.parent]),
    [
      ['CHC-TP', 'chc', 1, null, '综合', null],
      ['RJ', 'city_hospital', 3, '甲', '综合', null],
      ['RJ-B1', 'city_hospital', 3, '甲', '综合', 'RJ'],
    ],
  );
  const again = await run([HEADER, 'CHC-TP,天平街道社区卫生服务中心,chc,1,,,310104,310104003,,,'].join('\n'));
  assert.equal(again.updated, 1);
});

test('any bad row → nothing written, every bad row listed', async () => {
  const before = await t.kernel.db.query('select count(*)::int as n from institution');
  const csv = [
    HEADER,
    'OK1,好机构,chc,1,,,310104,,,,', // fine
    'BAD 2,空格代码,chc,1,,,310104,,,,', // 3: code
    'OK3,,chc,1,,,310104,,,,', // 4: name
    'OK4,类别错,clinic,1,,,310104,,,,', // 5: kind
    'OK5,区错,chc,4,,,310199,,,,', // 6: level + district
    'OK6,街镇不属于该区,chc,1,,,310104,310101002,,,', // 7: street
    'OK7,上级是分院,city_hospital,3,,,310101,,RJ-B1,,', // 8: parent is a branch
    'OK1,重复,chc,1,,,310104,,,,', // 9: duplicate
  ].join('\n');
  await assert.rejects(run(csv), (e: Error & { problems?: { line: number }[] }) => {
    assert.deepEqual([...new Set(e.problems?.map((p) => p.line))], [3, 4, 5, 6, 7, 8, 9]);
    return true;
  });
  assert.deepEqual(await t.kernel.db.query('select count(*)::int as n from institution'), before);
});

test('CLI: import divisions / institutions print counts, or the bad rows with exit code 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wj-import-'));
  const divisions = join(dir, 'd.csv');
  writeFileSync(divisions, 'code,name,parent_code\n310104004,湖南路街道,310104\n');
  const out: string[] = [];
  const cmd = (name: string) => importCommands.find((c) => c.name === name)!;
  assert.equal(await cmd('import divisions').run([divisions], t.kernel, (l) => out.push(l)), 0);
  assert.match(out.join('\n'), /inserted=1/);
  const audit = await t.kernel.db.query<Record<string, unknown>>("select * from audit_event where action = 'master-data.import-divisions'");
  assert.equal(audit.length, 1);
  assert.equal(audit[0]!.actor_username, 'system');

  const bad = join(dir, 'i.csv');
  writeFileSync(bad, `${HEADER}\nZZ,坏行,nope,1,,,310104,,,,\n`);
  out.length = 0;
  assert.equal(await cmd('import institutions').run([bad], t.kernel, (l) => out.push(l)), 1);
  assert.match(out.join('\n'), /第 2 行/);
  assert.equal(await cmd('import institutions').run([], t.kernel, (l) => out.push(l)), 2);
  rmSync(dir, { recursive: true, force: true });
});
