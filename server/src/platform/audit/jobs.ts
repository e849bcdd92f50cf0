import type { JobDef } from '../jobs/types.ts';
import { wakeDispatcher } from '../integration/dispatcher.ts';
import { anchorCheckpoints } from './anchor.ts';
import { createCheckpoint } from './checkpoint.ts';

/**
 * Signs what was appended since the last checkpoint and anchors it outside the database (anchor file,
 * witness); does nothing (and records nothing) when idle. Every 5 minutes: events appended since the
 * last run are the unanchored tail (docs/security.md).
 */
const checkpointJob: JobDef = {
  name: 'audit.checkpoint',
  title: '审计检查点（SM2 签名）',
  defaultCron: '*/5 * * * *',
  defaultEnabled: true,
  retries: 2,
  backoffSeconds: 30,
  async handler(ctx) {
    // The job's transaction runs in city scope, so the Merkle root covers every district's events.
    const cp = await ctx.transaction((tx) => createCheckpoint(tx, ctx.kernel.keys, { witness: ctx.kernel.config.auditWitness }));
    // Also catches up a checkpoint whose export a crash cut short, so it runs when idle too.
    const exported = await anchorCheckpoints(ctx.kernel);
    if (cp) wakeDispatcher(ctx.kernel);
    if (!cp) {
      if (exported > 0) await ctx.log(`已补导出 ${exported} 个检查点到库外锚点文件`);
      await ctx.log('自上次检查点以来没有新的审计事件');
      return { created: false };
    }
    await ctx.log(`已创建检查点 #${cp.id}：第 ${cp.fromSeq}–${cp.toSeq} 条，Merkle 根 ${cp.merkleRoot.slice(0, 16)}…`);
    return { created: true, id: cp.id, fromSeq: cp.fromSeq, toSeq: cp.toSeq, merkleRoot: cp.merkleRoot };
  },
};

export const auditJobs: JobDef[] = [checkpointJob];
