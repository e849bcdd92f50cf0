// Backups of the embedded store (PGlite). A backup is a folder holding the data directory as one
// consistent tarball (PGlite's own dump, taken between transactions) and a manifest: what it holds, its
// SM3 digest, the audit head it ends at and which key ring it needs (key ids and the SM2 key id, never
// key material). The key ring is kept apart on purpose: whoever holds a backup must not also hold the
// keys to its sealed columns. PostgreSQL deployments use pg_dump / PITR instead (docs/security.md).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyIdOf } from '../audit/checkpoint.ts';
import type { KeyRing } from '../crypto/keyring.ts';
import { sm3Hex } from '../crypto/sm3.ts';
import { openPglite } from '../db/pglite.ts';
import type { Database } from '../db/types.ts';

export const BACKUP_FORMAT = 'weijian-backup/1';
const DUMP = 'pgdata.tar.gz';
const MANIFEST = 'manifest.json';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  database: 'pglite';
  file: string;
  bytes: number;
  sm3: string;
  auditHead: { seq: number; hash: string };
  checkpoints: number;
  /** What the key ring restored beside it must contain. */
  /** blindIndexKeyIds: absent in backups made before blind-index key ids existed. */
  keyRing: { activeKeyId: string; keyIds: string[]; sm2KeyId: string; blindIndexKeyIds?: string[] };
}

type Dumpable = Database & { dump?: () => Promise<Blob> };

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/** Writes <outDir>/weijian-<stamp>/ and returns its path and manifest. */
export async function createBackup(db: Database, keys: KeyRing, outDir: string, now = new Date()): Promise<{ dir: string; manifest: BackupManifest }> {
  const dump = (db as Dumpable).dump;
  if (db.kind !== 'pglite' || !dump) {
    throw new Error('当前使用 PostgreSQL（DATABASE_URL）：请用 pg_dump 或基础备份 + WAL 归档（PITR）备份数据库，密钥环另行保管（见 docs/security.md）');
  }
  // Head first, dump second: the dump holds at least this much of the log.
  const head = (await db.query<{ seq: number; hash: string }>('select seq, hash from audit_head where id = 1'))[0]!; // seeded by the audit migration
  const { n } = (await db.query<{ n: number }>('select count(*)::int as n from audit_checkpoint'))[0]!;
  const bytes = Buffer.from(await (await dump.call(db)).arrayBuffer());
  const dir = join(outDir, `weijian-${stamp(now)}`);
  if (existsSync(dir)) throw new Error(`备份目录已存在：${dir}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, DUMP), bytes, { mode: 0o600, flag: 'wx' });
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: now.toISOString(),
    database: 'pglite',
    file: DUMP,
    bytes: bytes.length,
    sm3: sm3Hex(bytes),
    auditHead: { seq: Number(head.seq), hash: head.hash },
    checkpoints: n,
    keyRing: { activeKeyId: keys.activeKeyId, keyIds: keys.keyIds, sm2KeyId: keyIdOf(keys.sm2PublicKey), blindIndexKeyIds: keys.blindIndexKeyIds },
  };
  // The manifest last: a folder without one is an unfinished backup and restore refuses it.
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { dir, manifest };
}

export function readManifest(backupDir: string): BackupManifest {
  const p = join(backupDir, MANIFEST);
  if (!existsSync(p)) throw new Error(`不是完整的备份（缺少 ${MANIFEST}）：${backupDir}`);
  const m = JSON.parse(readFileSync(p, 'utf8')) as BackupManifest;
  if (m.format !== BACKUP_FORMAT || m.database !== 'pglite' || typeof m.sm3 !== 'string') throw new Error(`备份清单格式无效：${p}`);
  return m;
}

/**
 * Loads a backup into <dataDir>/pg, which must not exist or be empty (a restore never overwrites a
 * database). Checks the dump's SM3 digest first, and, given the key ring that will run beside it, that
 * the ring holds every key the backup was sealed and signed with.
 */
export async function restoreBackup(backupDir: string, dataDir: string, keys?: KeyRing): Promise<BackupManifest> {
  const m = readManifest(backupDir);
  const bytes = readFileSync(join(backupDir, m.file));
  if (bytes.length !== m.bytes || sm3Hex(bytes) !== m.sm3) throw new Error('备份文件的 SM3 摘要与清单不符（文件损坏或被改动），已拒绝恢复');
  if (keys) {
    const missing = m.keyRing.keyIds.filter((k) => !keys.keyIds.includes(k));
    if (missing.length > 0) throw new Error(`所给密钥环缺少备份所需的字段密钥 ${missing.join(', ')}：请使用备份时的密钥环（或其轮换后的版本）`);
    // Rows received from outside keep the blind-index key they were made with: without it they are not found.
    const missingBlind = (m.keyRing.blindIndexKeyIds ?? []).filter((k) => !keys.blindIndexKeyIds.includes(k));
    if (missingBlind.length > 0) throw new Error(`所给密钥环缺少备份所需的盲索引密钥 ${missingBlind.join(', ')}：请使用备份时的密钥环（或其轮换后的版本）`);
    if (keyIdOf(keys.sm2PublicKey) !== m.keyRing.sm2KeyId)
      throw new Error(`所给密钥环的 SM2 审计签名密钥（${keyIdOf(keys.sm2PublicKey)}）不是备份时的 ${m.keyRing.sm2KeyId}：检查点签名将无法校验`);
  }
  const pgDir = join(dataDir, 'pg');
  if (existsSync(pgDir) && readdirSync(pgDir).length > 0) throw new Error(`目标数据目录已有数据库：${pgDir}；请恢复到新的空目录`);
  const db = await openPglite(pgDir, new Blob([bytes]));
  await db.close();
  return m;
}
