import { existsSync, linkSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type CliCommand } from '../cli/types.ts';
import { loadConfig } from '../config.ts';
import { KeyRing, keyRingFile, saveKeyRing } from './keyring.ts';

/**
 * Writes a new key ring file (mode 0600) for a first production start, where the server never generates one.
 * Never replaces an existing ring: data sealed under it would become unreadable.
 */
export function initKeyRingFile(file: string): KeyRing {
  if (existsSync(file)) throw new Error(`密钥文件已存在，拒绝覆盖（覆盖后已加密的数据将无法解密）：${file}`);
  const ring = KeyRing.generate();
  const aside = `${file}.${process.pid}.new`;
  saveKeyRing(aside, ring);
  try {
    // A hard link fails when the file appeared meanwhile, where a rename would replace it.
    linkSync(aside, file);
  } finally {
    unlinkSync(aside);
  }
  return ring;
}

export const keysInitCommand: CliCommand = {
  name: 'keys init',
  summary: '生成新的密钥环文件（权限 0600），供生产环境首次启动（生产环境不会自动生成密钥）；已有文件时拒绝',
  usage: 'keys init [--out 文件]',
  noKernel: true,
  async run(args, _kernel, out) {
    const { flags } = parseArgs(args);
    const target = typeof flags.out === 'string' ? resolve(flags.out) : keyRingFile(loadConfig());
    if (!target) throw new Error('WEIJIAN_KEYS 直接给出了密钥 JSON：请用 --out 指定要写入的文件');
    const ring = initKeyRingFile(target);
    out(`已生成密钥环：${target}（字段密钥 ${ring.activeKeyId}）。请另行备份此文件（不在数据库备份中），并以 WEIJIAN_KEYS=${target} 启动。`);
    return 0;
  },
};
