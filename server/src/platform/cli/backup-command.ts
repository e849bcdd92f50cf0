import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { configuredAnchors } from '../audit/anchor.ts';
import { verifyAudit } from '../audit/verify.ts';
import { loadConfig } from '../config.ts';
import { type KeyRing, loadKeyRing } from '../crypto/keyring.ts';
import { openPglite } from '../db/pglite.ts';
import { checkAnchorLocation } from '../audit/anchor.ts';
import { createBackup, restoreBackup } from './backup.ts';
import { type CliCommand, parseArgs } from './types.ts';

export const backupCommand: CliCommand = {
  name: 'backup',
  summary: '备份内嵌数据库（PGlite，一致性快照 + SM3 摘要清单；不含密钥环）；PostgreSQL 请用 pg_dump/PITR',
  usage: 'backup [--out DIR]',
  async run(args, kernel, out) {
    const k = kernel!;
    const { flags } = parseArgs(args);
    const outDir = resolve(typeof flags.out === 'string' ? flags.out : join(dirname(k.config.dataDir), 'backups'));
    // Never beside the key ring: a backup must not carry the keys to its own sealed columns.
    try {
      checkAnchorLocation(outDir, k.config.dataDir);
    } catch {
      throw new Error(`备份目录不能位于数据目录（含密钥环）内：${outDir}`);
    }
    const { dir, manifest } = await createBackup(k.db, k.keys, outDir);
    out(`已备份到 ${dir}（${(manifest.bytes / 1024 / 1024).toFixed(1)} MB，SM3 ${manifest.sm3.slice(0, 16)}…，审计链到第 ${manifest.auditHead.seq} 条）`);
    out(`备份不含密钥环：恢复时需要密钥 ${manifest.keyRing.keyIds.join(', ')} 与 SM2 ${manifest.keyRing.sm2KeyId}，请另行保管密钥文件。`);
    return 0;
  },
};

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: '把备份恢复到新的空数据目录，校验 SM3 摘要与密钥环，并校验恢复后的审计链',
  usage: 'restore <备份目录> [--data-dir DIR]',
  noKernel: true,
  async run(args, _kernel, out) {
    const { flags, positional } = parseArgs(args);
    const from = positional[0];
    if (!from) throw new Error('请给出备份目录，例如 weijian restore backups/weijian-20261207T031500Z');
    const env = typeof flags['data-dir'] === 'string' ? { ...process.env, WEIJIAN_DATA_DIR: flags['data-dir'] } : process.env;
    const config = loadConfig(env);
    if (config.databaseUrl) throw new Error('已设置 DATABASE_URL：PostgreSQL 用 pg_restore / PITR 恢复（见 docs/security.md）');
    // The ring is supplied apart from the backup (WEIJIAN_KEYS, or keys.json put in the new data directory).
    const ringFile = join(config.dataDir, 'keys.json');
    const keys: KeyRing | undefined = config.keys || existsSync(ringFile) ? loadKeyRing({ env: config.keys, file: ringFile, allowGenerate: false }) : undefined;
    const m = await restoreBackup(resolve(from), config.dataDir, keys);
    out(`已恢复到 ${join(config.dataDir, 'pg')}（备份于 ${m.createdAt}，审计链到第 ${m.auditHead.seq} 条）`);
    if (!keys) {
      out(`未提供密钥环：请把备份时的密钥文件放到 ${ringFile}（或设置 WEIJIAN_KEYS），再运行 weijian audit verify`);
      return 0;
    }
    const db = await openPglite(join(config.dataDir, 'pg'));
    try {
      const r = await verifyAudit(db, { trustedPublicKeys: [keys.sm2PublicKey], anchors: configuredAnchors({ config, keys }) });
      if (r.ok) {
        out(`审计链完好：事件 ${r.checkedEvents} 条、检查点 ${r.checkedCheckpoints} 个、库外锚点 ${r.checkedAnchors} 个`);
        return 0;
      }
      out(`恢复后的审计链校验失败：第 ${r.firstBroken!.seq} 条 —— ${r.firstBroken!.reason}`);
      out('若恢复的是较早的备份，备份之后的事件与检查点不在其中：库外锚点会指出这一段，请核对后将锚点文件存档。');
      return 3;
    } finally {
      await db.close();
    }
  },
};
