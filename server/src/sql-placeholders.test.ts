import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// One SQL mechanism (platform/db/sql.ts): values go into a query as `sql` template values, never as
// placeholder numbers computed by hand or `?` markers swapped in later. Test code may still build its
// own fixtures as it likes; product code may not.
const root = fileURLToPath(new URL('.', import.meta.url));
const FORBIDDEN: [RegExp, string][] = [
  [/\$\$\{/, 'a hand-numbered placeholder (`$${…}`)'],
  [/replace\(\s*'\?'/, "a `replace('?', …)` placeholder builder"],
  [/params\.length|values\.length \+ 1/, 'a placeholder number taken from a params array'],
];

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.startsWith('test-')) yield p;
  }
}

test('no server file numbers SQL placeholders by hand', () => {
  const found: string[] = [];
  for (const file of sources(root)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const [re, what] of FORBIDDEN) if (re.test(line)) found.push(`${relative(root, file)}:${i + 1}: ${what}`);
      });
  }
  assert.deepEqual(found, [], 'use the sql tagged template of platform/db/sql.ts');
});

test('the check sees what it forbids', () => {
  const line = ['where.push(cond.replace(', "'?', `$", '${params.length}`))'].join('');
  assert.ok(FORBIDDEN.every(([re]) => re.test(line)));
});
