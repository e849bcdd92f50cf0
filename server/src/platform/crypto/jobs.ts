import type { JobDef } from '../jobs/types.ts';
import { keyRingFile, loadKeyRing } from './keyring.ts';
import { resealAll } from './reseal.ts';

/**
 * Re-seals rows still under an older field key. First takes over a ring rotated on disk by
 * `weijian keys rotate` (KeyRing.adopt), so a running server writes under the new key from then on.
 * Restartable and idempotent: a row is done when its token names the active key.
 */
const resealJob: JobDef = {
  name: 'keys.reseal',
  title: '密钥轮换：旧数据重新加密',
  defaultCron: '30 3 * * *',
  defaultEnabled: true,
  retries: 3,
  backoffSeconds: 60,
  async handler(ctx) {
    const { kernel } = ctx;
    const file = keyRingFile(kernel.config);
    if (file) {
      try {
        const onDisk = loadKeyRing({ file, allowGenerate: false });
        if (kernel.keys.adopt(onDisk)) await ctx.log(`已采用轮换后的密钥 ${kernel.keys.activeKeyId}（${file}）`);
      } catch (e) {
        await ctx.log(`未能重新读取密钥文件：${(e as Error).message}`);
      }
    }
    const results = await resealAll(kernel, async (r) => {
      if (r.changed > 0) await ctx.log(`${r.table}.${r.column}：${r.changed} 行已改用密钥 ${kernel.keys.activeKeyId}`);
    });
    const changed = results.reduce((n, r) => n + r.changed, 0);
    if (changed === 0) await ctx.log(`所有加密字段均已使用当前密钥 ${kernel.keys.activeKeyId}`);
    return { activeKeyId: kernel.keys.activeKeyId, changed, columns: results.filter((r) => r.changed > 0) };
  },
};

export const keyJobs: JobDef[] = [resealJob];
