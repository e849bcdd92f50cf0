import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';
import { auditCommands, EXIT_BROKEN } from './cli.ts';
import { appendEvents, tamper } from './test-helpers.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
  await appendEvents(t.kernel.db, 4);
});
after(() => t.close());

const cmd = (name: string) => auditCommands.find((c) => c.name === name)!;
async function run(name: string) {
  const lines: string[] = [];
  const code = await cmd(name).run([], t.kernel, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

test('audit checkpoint then audit verify: intact chain exits 0', async () => {
  const cp = await run('audit checkpoint');
  assert.equal(cp.code, 0);
  assert.match(cp.out, /已创建检查点 #\d+：第 1–5 条/);
  const v = await run('audit verify');
  assert.equal(v.code, 0);
  assert.match(v.out, /已校验事件 5 条、检查点 1 个/);
  assert.match(v.out, /审计链完好/);
  const row = (await t.kernel.db.query<{ verified_by: string }>('select verified_by from audit_verification order by id desc limit 1'))[0]!;
  assert.equal(row.verified_by, 'cli');
});

test('a broken chain exits 3 and names the first broken event', async () => {
  await tamper(t.kernel.db, [{ sql: 'delete from audit_event where seq = 3' }]);
  const v = await run('audit verify');
  assert.equal(v.code, EXIT_BROKEN);
  assert.match(v.out, /审计链被破坏：第 3 条 —— 第 3 条事件缺失/);
});
