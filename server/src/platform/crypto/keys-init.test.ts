import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadKeyRing } from './keyring.ts';
import { keysInitCommand } from './keys-init.ts';

const tmp = mkdtempSync(join(tmpdir(), 'weijian-keys-init-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('keys init writes a ring (0600) that a production start loads, and never overwrites one', async () => {
  const file = join(tmp, 'etc', 'keys.json');
  const lines: string[] = [];
  assert.equal(await keysInitCommand.run(['--out', file], null, (l) => lines.push(l)), 0);
  assert.match(lines.join('\n'), /已生成密钥环/);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const written = readFileSync(file, 'utf8');

  // What the server does with NODE_ENV=production: load, never generate.
  const ring = loadKeyRing({ env: file, file: join(tmp, 'unused.json'), allowGenerate: false });
  assert.equal(ring.decryptField(ring.encryptField('310101199003074518')), '310101199003074518');

  await assert.rejects(
    keysInitCommand.run(['--out', file], null, () => {}),
    /已存在，拒绝覆盖/,
  );
  assert.equal(readFileSync(file, 'utf8'), written, 'the existing ring is untouched');
  assert.deepEqual(readdirSync(join(tmp, 'etc')), ['keys.json'], 'nothing left aside');
});
