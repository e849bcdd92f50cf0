// `weijian terminology import`: the same import as the console, as a draft change request, or every bad line.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../../test/harness.ts';
import { terminologyImportCommand } from './cli.ts';

let t: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'wj-term-'));

before(async () => {
  t = await testApp();
});
after(() => t.close());

test('a CSV file becomes a draft change request of a new code system, audited', async () => {
  const file = join(dir, 'local.csv');
  writeFileSync(file, '代码,名称,上级代码\nL,地方扩展诊断,\nL01,职业性尘肺（地方）,L\n');
  const lines: string[] = [];
  const code = await terminologyImportCommand.run([file, '--url', 'urn:weijian:sh:local-dx', '--title', '上海地方扩展诊断'], t.kernel, (l) => lines.push(l));
  assert.equal(code, 0, lines.join('\n'));
  assert.match(lines[0]!, /已生成变更申请 #\d+：2 个代码，2 项变更（新代码系统）/);
  const [cr] = await t.kernel.db.query<{ status: string; created_by: string }>(
    `select r.status, r.created_by from term_change_request r join term_system s on s.id = r.system_id where s.url = 'urn:weijian:sh:local-dx'`,
  );
  assert.deepEqual(cr, { status: 'draft', created_by: 'system' });
  const audit = (await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from audit_event where action = 'terminology.import'`))[0]!;
  assert.equal(audit.n, 1);
});

test('a bad file prints every bad line and stores nothing', async () => {
  const file = join(dir, 'bad.csv');
  writeFileSync(file, 'code,display\nX1,\nX1,重复\n');
  const lines: string[] = [];
  const code = await terminologyImportCommand.run([file, '--url', 'urn:weijian:sh:bad', '--title', '坏表'], t.kernel, (l) => lines.push(l));
  assert.equal(code, 1);
  assert.ok(lines.some((l) => l.includes('第 2 行：名称为空')) && lines.some((l) => l.includes('第 3 行：代码 X1 与第 2 行重复')), lines.join('\n'));
  assert.equal((await t.kernel.db.query(`select 1 from term_system where url = 'urn:weijian:sh:bad'`)).length, 0);
});

test('an RF2 snapshot folder and a WHO ICD-11 tabulation file are recognised and imported as drafts', async () => {
  const lines: string[] = [];
  const rf2 = new URL('./fixtures/snomed-rf2', import.meta.url).pathname;
  assert.equal(await terminologyImportCommand.run([rf2], t.kernel, (l) => lines.push(l)), 0, lines.join('\n'));
  assert.match(lines[0] ?? '', /23 个代码，\d+ 项变更（新代码系统）/);
  const tsv = join(dir, 'LinearizationMiniOutput-MMS-en.txt');
  writeFileSync(tsv, readFileSync(new URL('./fixtures/icd11-mms-simpletabulation.tsv', import.meta.url)));
  assert.equal(await terminologyImportCommand.run([tsv], t.kernel, (l) => lines.push(l)), 0, lines.join('\n'));
  assert.match(lines[1] ?? '', /33 个代码，33 项变更（新代码系统）/);
  const [n] = await t.kernel.db.query<{ n: number }>(
    `select count(*)::int as n from term_system where url in ('http://snomed.info/sct', 'http://id.who.int/icd/release/11/mms')`,
  );
  assert.equal(n?.n, 2);
});
