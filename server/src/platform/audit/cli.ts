import type { Principal } from '../auth/principal.ts';
import { SYSTEM_PRINCIPAL } from '../auth/principal.ts';
import type { CliCommand } from '../cli/types.ts';
import { anchorCheckpoints, anchorPath, configuredAnchors } from './anchor.ts';
import { appendAudit } from './append.ts';
import { createCheckpoint } from './checkpoint.ts';
import { recordVerification } from './record.ts';
import { verifyAudit } from './verify.ts';

/** Exit code when the chain is broken (distinct from 1 = the command itself failed). */
export const EXIT_BROKEN = 3;

const CLI_PRINCIPAL: Principal = { ...SYSTEM_PRINCIPAL, username: 'cli', displayName: '命令行' };
const origin = { ip: null, requestId: `cli:${process.pid}` };

const verifyCommand: CliCommand = {
  name: 'audit verify',
  summary: '校验审计链（哈希链、链头、检查点签名、库外锚点）；完好退出码 0，被破坏退出码 3',
  usage: 'audit verify',
  async run(_args, kernel, out) {
    const k = kernel!;
    const started = Date.now();
    const anchors = configuredAnchors(k);
    const r = await verifyAudit(k.db, { trustedPublicKeys: [k.keys.sm2PublicKey], anchors });
    await recordVerification(k.db, r, CLI_PRINCIPAL, origin);
    out(`已校验事件 ${r.checkedEvents} 条、检查点 ${r.checkedCheckpoints} 个，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
    out(anchors ? `库外锚点 ${r.checkedAnchors} 个（${anchorPath(k)}）` : '未配置库外锚点文件（WEIJIAN_AUDIT_ANCHOR_FILE=off）：无法发现尾部被截断');
    if (r.ok) {
      out('审计链完好');
      return 0;
    }
    out(`审计链被破坏：第 ${r.firstBroken!.seq} 条 —— ${r.firstBroken!.reason}`);
    return EXIT_BROKEN;
  },
};

const checkpointCommand: CliCommand = {
  name: 'audit checkpoint',
  summary: '立即创建审计检查点（SM2 签名 Merkle 根）',
  usage: 'audit checkpoint',
  async run(_args, kernel, out) {
    const k = kernel!;
    const cp = await k.db.transaction(async (tx) => {
      await appendAudit(tx, CLI_PRINCIPAL, [{ kind: 'admin', action: 'audit.checkpoint', objectType: 'audit_chain', note: '命令行创建检查点' }], origin);
      return createCheckpoint(tx, k.keys, { witness: k.config.auditWitness });
    });
    await anchorCheckpoints(k);
    out(cp ? `已创建检查点 #${cp.id}：第 ${cp.fromSeq}–${cp.toSeq} 条，密钥 ${cp.keyId}` : '没有新的审计事件');
    return 0;
  },
};

export const auditCommands: CliCommand[] = [verifyCommand, checkpointCommand];
