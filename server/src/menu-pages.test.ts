// Menu and pages agree: every path a module puts in the server menu has a console page in the route table
// (web/src/app/routes.tsx), and that page exists and is no placeholder. A menu path without one would show
// the console's 建设中 screen.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { allModules } from './modules.ts';

const ROUTES = new URL('../../web/src/app/routes.tsx', import.meta.url).pathname;

/** `{ path: '/x', page: page(() => import('../systems/…/XPage'), 'XPage') }` rows of the route table. */
function routeTable(): Map<string, { file: string; name: string }> {
  const text = readFileSync(ROUTES, 'utf8');
  const rows = new Map<string, { file: string; name: string }>();
  const re = /\{\s*path:\s*'([^']+)',\s*page:\s*page\(\(\)\s*=>\s*import\('([^']+)'\),\s*'([^']+)'\),?\s*\}/g;
  for (const m of text.matchAll(re)) rows.set(m[1]!, { file: join(dirname(ROUTES), m[2]!), name: m[3]! });
  return rows;
}

test('the route table is read as the console reads it', () => {
  const rows = routeTable();
  const declared = (readFileSync(ROUTES, 'utf8').match(/\{\s*path: '/g) ?? []).length;
  assert.equal(rows.size, declared, 'every row of routes.tsx has the page(() => import(…), Name) shape this test reads');
  assert.ok(rows.has('/platform/jobs'));
});

test('every server menu path has a console page that exists and is not a placeholder', () => {
  const rows = routeTable();
  const missing: string[] = [];
  for (const m of allModules) {
    for (const item of m.menu ?? []) {
      const r = rows.get(item.path);
      if (!r) {
        missing.push(`${m.name}: ${item.path}（${item.title}）没有页面`);
        continue;
      }
      const file = ['.tsx', '.ts'].map((ext) => r.file + ext).find(existsSync);
      if (!file) {
        missing.push(`${item.path}: ${r.file} 不存在`);
        continue;
      }
      const src = readFileSync(file, 'utf8');
      if (!new RegExp(`export (function|const) ${r.name}\\b`).test(src)) missing.push(`${item.path}: ${file} 未导出 ${r.name}`);
      if (/建设中/.test(src)) missing.push(`${item.path}: ${file} 是占位页面`);
    }
  }
  assert.deepEqual(missing, []);
});
