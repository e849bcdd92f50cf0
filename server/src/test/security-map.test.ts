// docs/security.md maps each 等保三级 requirement to the tests that prove it; this keeps the map honest:
// every requirement has a row, every row names at least one test, and every named test file exists and is
// one the suite runs (server/src/**/*.test.ts, see scripts/test.mjs).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

const REQUIREMENTS = ['身份鉴别', '访问控制', '安全审计', '入侵防范', '恶意代码防范', '数据完整性', '数据保密性', '数据备份恢复', '个人信息保护'];

test('the 等保三级 map names existing tests for every requirement', () => {
  const doc = readFileSync(new URL('../../../docs/security.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## 等保三级 map'));
  assert.ok(section.startsWith('## 等保三级 map'), 'docs/security.md has the 等保三级 map');
  const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| 要求') && !l.startsWith('|---'));
  for (const req of REQUIREMENTS) {
    const row = rows.find((r) => r.startsWith(`| ${req} `));
    assert.ok(row, `a row for ${req}`);
    const tests = [...row.matchAll(/`(server\/src\/[^`]+\.test\.ts)`/g)].map((m) => m[1]);
    assert.ok(tests.length > 0, `${req} names at least one test`);
    for (const t of tests) assert.ok(existsSync(new URL(`../../../${t}`, import.meta.url)), `${req}: ${t} exists`);
  }
});
