// One contract: every route declares its response (TypeBox, beside its input schemas), the console takes its
// API types from those declarations (type-only imports of `responses.ts` files), and no runtime server code
// reaches the browser bundle. The response *values* are checked against the schemas by every test that calls
// a route (platform/http/response-check.ts, on in tests).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { allModules } from './modules.ts';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const SERVER = join(ROOT, 'server/src');
const WEB = join(ROOT, 'web/src');

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

/** Files the console may import types from: response declarations and the schema building blocks they use. */
const SHARED = (file: string) => file.endsWith('/responses.ts') || file === join(SERVER, 'platform/http/schema.ts');

const importsOf = (text: string) =>
  [...text.matchAll(/^import\s+(type\s+)?([^'"]*?)\s*from\s*'([^']+)'/gm)].map((m) => ({ typeOnly: Boolean(m[1]), what: m[2] ?? '', from: m[3] ?? '' }));

test('every route declares the response of its success status', () => {
  const missing: string[] = [];
  for (const m of allModules) {
    const routes = m.routes ?? [];
    const undeclared = routes.filter((r) => !r.response?.[r.successStatus ?? 200]);
    for (const r of undeclared) missing.push(`${m.name}: ${r.method} ${r.url} 没有声明 ${r.successStatus ?? 200} 响应`);
  }
  assert.deepEqual(missing, [], missing.join('\n'));
});

test('the console imports server code only as types, and only from responses.ts files', () => {
  const wrong: string[] = [];
  for (const file of walk(WEB).filter((f) => /\.tsx?$/.test(f))) {
    for (const imp of importsOf(readFileSync(file, 'utf8'))) {
      const target = imp.from.startsWith('@server/')
        ? join(SERVER, imp.from.slice('@server/'.length))
        : imp.from.startsWith('.')
          ? resolve(dirname(file), imp.from)
          : null;
      if (!target?.startsWith(SERVER)) continue;
      if (!imp.typeOnly) wrong.push(`${relative(ROOT, file)}: 'import type' only, not a runtime import of ${imp.from}`);
      if (!SHARED(target)) wrong.push(`${relative(ROOT, file)}: imports ${imp.from}; the console may import only responses.ts files`);
    }
  }
  assert.deepEqual(wrong, [], wrong.join('\n'));
});

test('responses.ts files import only TypeBox, the schema building blocks and other responses.ts files', () => {
  const wrong: string[] = [];
  const files = walk(SERVER).filter((f) => f.endsWith('/responses.ts'));
  for (const file of files) {
    for (const imp of importsOf(readFileSync(file, 'utf8'))) {
      if (imp.from === '@sinclair/typebox') continue;
      const target = imp.from.startsWith('.') ? resolve(dirname(file), imp.from) : null;
      if (target && SHARED(target)) continue;
      wrong.push(`${relative(ROOT, file)}: imports ${imp.from}`);
    }
  }
  assert.deepEqual(wrong, [], wrong.join('\n'));
});
