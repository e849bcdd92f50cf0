import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { type TestApp, testApp } from '../../test/harness.ts';
import { createCheckpoint } from '../audit/checkpoint.ts';
import { appendEvents } from '../audit/test-helpers.ts';
import { verifyAudit } from '../audit/verify.ts';
import { KeyRing } from '../crypto/keyring.ts';
import { openPglite } from '../db/pglite.ts';
import { backupCommand, restoreCommand } from './backup-command.ts';
import { createBackup, restoreBackup } from './backup.ts';

const root = mkdtempSync(join(tmpdir(), 'wj-backup-'));
let t: TestApp;
before(async () => {
  t = await testApp({ config: { dataDir: join(root, 'data') } });
  await appendEvents(t.kernel.db, 6);
  await t.kernel.db.transaction((tx) => createCheckpoint(tx, t.kernel.keys));
  await appendEvents(t.kernel.db, 2, undefined, 7);
});
after(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

const run = async (cmd: typeof backupCommand, args: string[]) => {
  const lines: string[] = [];
  const code = await cmd.run(args, t.kernel, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
};

test('PostgreSQL deployments are told to use pg_dump / PITR', async (ctx) => {
  if (t.kernel.db.kind === 'pglite') return ctx.skip('PostgreSQL only');
  await assert.rejects(createBackup(t.kernel.db, t.kernel.keys, join(root, 'pgout')), /pg_dump/);
});

test('backup, then restore into a fresh directory that passes audit verify', async (ctx) => {
  if (t.kernel.db.kind !== 'pglite') return ctx.skip('PGlite only (PostgreSQL: pg_dump / PITR)');
  const b = await run(backupCommand, ['--out', join(root, 'backups')]);
  assert.equal(b.code, 0, b.out);
  assert.match(b.out, /审计链到第 8 条/);
  assert.match(b.out, /备份不含密钥环/);
  const name = readdirSync(join(root, 'backups'))[0]!;
  const dir = join(root, 'backups', name);
  assert.deepEqual(readdirSync(dir).sort(), ['manifest.json', 'pgdata.tar.gz'], 'no key ring in the backup');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.auditHead.seq, 8);
  assert.deepEqual(manifest.keyRing.keyIds, ['k1']);
  assert.deepEqual(manifest.keyRing.blindIndexKeyIds, ['b1']);
  const tar = gunzipSync(readFileSync(join(dir, 'pgdata.tar.gz')));
  assert.ok(tar.includes(Buffer.from('PG_VERSION')), 'the tarball is the data directory');
  assert.ok(!tar.includes(Buffer.from('keys.json')) && !tar.includes(Buffer.from(t.kernel.keys.toJSON().keys.k1!.enc)), 'no key ring inside');

  // Restore with the command, the key ring supplied apart (WEIJIAN_KEYS), into a new directory.
  const fresh = join(root, 'restored');
  process.env.WEIJIAN_KEYS = JSON.stringify(t.kernel.keys.toJSON());
  try {
    const r = await run(restoreCommand, [dir, '--data-dir', fresh]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /审计链完好：事件 8 条、检查点 1 个/);
    // Never over an existing database.
    await assert.rejects(run(restoreCommand, [dir, '--data-dir', fresh]), /已有数据库/);
  } finally {
    delete process.env.WEIJIAN_KEYS;
  }
  const db = await openPglite(join(fresh, 'pg'));
  try {
    const v = await verifyAudit(db, { trustedPublicKeys: [t.kernel.keys.sm2PublicKey] });
    assert.deepEqual([v.ok, v.checkedEvents, v.checkedCheckpoints], [true, 8, 1]);
    const head = (await db.query<{ seq: number; hash: string }>('select seq, hash from audit_head'))[0]!;
    assert.deepEqual({ seq: Number(head.seq), hash: head.hash }, manifest.auditHead);
  } finally {
    await db.close();
  }

  // A ring without the backup's keys is refused before anything is written.
  await assert.rejects(restoreBackup(dir, join(root, 'other'), KeyRing.generate()), /SM2 审计签名密钥|缺少备份所需的字段密钥/);
  // A ring that has dropped the backup's blind-index key (rows from outside keep theirs) is refused too.
  const noOldBlind = KeyRing.fromJSON(t.kernel.keys.toJSON());
  noOldBlind.rotateBlindIndex();
  noOldBlind.dropBlindIndexKey('b1');
  await assert.rejects(restoreBackup(dir, join(root, 'other-blind'), noOldBlind), /缺少备份所需的盲索引密钥 b1/);
  // A changed dump is refused.
  const bad = join(root, 'bad');
  mkdirSync(bad);
  const bytes = readFileSync(join(dir, 'pgdata.tar.gz'));
  bytes[bytes.length >> 1]! ^= 0xff;
  writeFileSync(join(bad, 'pgdata.tar.gz'), bytes);
  writeFileSync(join(bad, 'manifest.json'), JSON.stringify(manifest));
  await assert.rejects(restoreBackup(bad, join(root, 'bad-target')), /SM3 摘要与清单不符/);
  // Not beside the key ring.
  await assert.rejects(run(backupCommand, ['--out', join(root, 'data', 'bk')]), /不能位于数据目录/);
});
