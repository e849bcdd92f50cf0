import { appendAudit } from '../audit/append.ts';
import { SYSTEM_PRINCIPAL } from '../auth/principal.ts';
import { parseArgs, type CliCommand } from '../cli/types.ts';
import { enqueueJob } from '../jobs/enqueue.ts';
import { keyRingFile, saveKeyRing } from './keyring.ts';
import { keysInitCommand } from './keys-init.ts';
import { rebuildAllBlindIndexes, resealAll, resealBacklog, unrebuildableBlindIndexes, unsourcedBlindKeyUse } from './reseal.ts';

const CLI = { ...SYSTEM_PRINCIPAL, username: 'cli', displayName: '命令行' };
const origin = { ip: null, requestId: `cli:${process.pid}` };

const rotateCommand: CliCommand = {
  name: 'keys rotate',
  summary:
    '轮换字段加密密钥（SM4/HMAC-SM3）：新写入用新密钥，旧数据由任务 keys.reseal 重新加密；--blind-index 同时更换盲索引密钥并重建可重建的盲索引（须停机）',
  usage: 'keys rotate [--blind-index]',
  async run(args, kernel, out) {
    const k = kernel!;
    const { flags } = parseArgs(args);
    const file = keyRingFile(k.config);
    if (!file) throw new Error('WEIJIAN_KEYS 直接给出了密钥 JSON，无法在原处轮换：请改为密钥文件路径，或在密钥管理系统中更新后重启');
    const blind = flags['blind-index'] === true;
    if (blind) {
      // A new blind-index key orphans every index that cannot be recomputed from a sealed value in its row.
      const stuck = await unrebuildableBlindIndexes(k);
      if (stuck.length > 0) {
        throw new Error(`以下盲索引没有可解密的来源字段，更换盲索引密钥后将无法匹配，已拒绝：${stuck.join('、')}`);
      }
    }
    const from = k.keys.activeKeyId;
    const kid = k.keys.rotate();
    const blindFrom = k.keys.blindIndexKeyId;
    const bid = blind ? k.keys.rotateBlindIndex() : null;
    // The file first: rows sealed under the new key must never exist without the key being stored.
    saveKeyRing(file, k.keys);
    out(`已轮换字段加密密钥：${from} → ${kid}（${file}）。旧密钥保留用于解密，请另行备份密钥文件。`);
    if (blind) {
      const rebuilt = await rebuildAllBlindIndexes(k);
      for (const r of rebuilt) out(`  盲索引 ${r.table}.${r.column}：重建 ${r.changed} 行`);
      out(`已更换盲索引密钥 ${blindFrom} → ${bid} 并重建盲索引（中断时重新运行 weijian keys reindex）。`);
      // Received from outside, no sealed source: they keep the key that made them; lookups try every key.
      for (const u of await unsourcedBlindKeyUse(k)) {
        const n = Object.values(u.byKey).reduce((a, b) => a + b, 0);
        if (n > 0) out(`  盲索引 ${u.table}.${u.column}：${n} 行无可解密来源，保留原密钥（${Object.keys(u.byKey).join(', ')}），查询时按全部密钥匹配`);
      }
    }
    await k.db.transaction(async (tx) => {
      await enqueueJob(tx, 'keys.reseal', {}, 'manual', 'cli');
      await appendAudit(
        tx,
        CLI,
        [
          {
            kind: 'admin',
            action: 'keys.rotate',
            objectType: 'key_ring',
            objectId: kid,
            note: blind ? `字段密钥 ${from}→${kid}，盲索引密钥 ${blindFrom}→${bid}` : `字段密钥 ${from}→${kid}`,
          },
        ],
        origin,
      );
    });
    out('已排队任务 keys.reseal：运行中的服务执行它时改用新密钥并重新加密旧数据；也可立即运行 weijian keys reseal。');
    return 0;
  },
};

const resealCommand: CliCommand = {
  name: 'keys reseal',
  summary: '立即把仍使用旧密钥的加密字段改用当前密钥重新加密（可重复运行、可中断后续跑）',
  usage: 'keys reseal',
  async run(_args, kernel, out) {
    const k = kernel!;
    const results = await resealAll(k, (r) => {
      if (r.changed > 0) out(`${r.table}.${r.column}：${r.changed} 行已重新加密`);
    });
    out(`完成：共 ${results.reduce((n, r) => n + r.changed, 0)} 行改用密钥 ${k.keys.activeKeyId}`);
    return 0;
  },
};

const reindexCommand: CliCommand = {
  name: 'keys reindex',
  summary: '按当前盲索引密钥重建全部盲索引（keys rotate --blind-index 中断后续跑）',
  usage: 'keys reindex',
  async run(_args, kernel, out) {
    const k = kernel!;
    for (const r of await rebuildAllBlindIndexes(k)) out(`盲索引 ${r.table}.${r.column}：重建 ${r.changed} 行`);
    return 0;
  },
};

const statusCommand: CliCommand = {
  name: 'keys status',
  summary: '显示当前密钥编号，以及各加密字段中仍待重新加密的行数',
  usage: 'keys status',
  async run(_args, kernel, out) {
    const k = kernel!;
    out(`当前字段密钥：${k.keys.activeKeyId}（密钥环：${k.keys.keyIds.join(', ')}）`);
    const backlog = await resealBacklog(k);
    for (const r of backlog) out(`  ${r.table}.${r.column}：待重新加密 ${r.changed} 行`);
    out(`当前盲索引密钥：${k.keys.blindIndexKeyId}（密钥环：${k.keys.blindIndexKeyIds.join(', ')}）`);
    for (const u of await unsourcedBlindKeyUse(k)) {
      const use = Object.entries(u.byKey)
        .map(([bid, n]) => `${bid} ${n} 行`)
        .join('，');
      out(`  ${u.table}.${u.column}（无来源，保留原密钥）：${use || '无数据'}`);
    }
    return 0;
  },
};

/**
 * Forgets a retired blind-index key once no unsourced index uses it (the rows made under it were deleted,
 * or the install no longer needs them): after a suspected key leak, what makes the old key useless.
 */
const retireBlindCommand: CliCommand = {
  name: 'keys retire-blind-index',
  summary: '从密钥环删除一个已停用的盲索引密钥（仍有无来源盲索引使用它时拒绝）',
  usage: 'keys retire-blind-index <盲索引密钥编号，如 b1>',
  async run(args, kernel, out) {
    const k = kernel!;
    const bid = parseArgs(args).positional[0];
    if (!bid) throw new Error('请给出要删除的盲索引密钥编号（weijian keys status 列出）');
    const file = keyRingFile(k.config);
    if (!file) throw new Error('WEIJIAN_KEYS 直接给出了密钥 JSON，无法在原处修改：请在密钥管理系统中删除后重启');
    if (bid === k.keys.blindIndexKeyId) throw new Error(`${bid} 是当前盲索引密钥，不能删除`);
    if (!k.keys.blindIndexKeyIds.includes(bid)) throw new Error(`密钥环中没有盲索引密钥 ${bid}`);
    const users = (await unsourcedBlindKeyUse(k)).filter((u) => (u.byKey[bid] ?? 0) > 0);
    if (users.length > 0) throw new Error(`盲索引密钥 ${bid} 仍被使用，已拒绝：${users.map((u) => `${u.table}.${u.column}（${u.byKey[bid]} 行）`).join('、')}`);
    k.keys.dropBlindIndexKey(bid);
    saveKeyRing(file, k.keys);
    await k.db.transaction((tx) =>
      appendAudit(
        tx,
        CLI,
        [{ kind: 'admin', action: 'keys.retire-blind-index', objectType: 'key_ring', objectId: bid, note: `删除已停用的盲索引密钥 ${bid}` }],
        origin,
      ),
    );
    out(`已从密钥环删除盲索引密钥 ${bid}（${file}）。`);
    return 0;
  },
};

export const keyCommands: CliCommand[] = [keysInitCommand, rotateCommand, resealCommand, reindexCommand, statusCommand, retireBlindCommand];
