import { setTimeout as sleep } from 'node:timers/promises';
import type { JobDef } from './types.ts';

// Tables the demo report counts; a table of a module that is not installed is reported as absent.
const TABLES: [table: string, label: string][] = [
  ['app_user', '用户'],
  ['region', '行政区划'],
  ['institution', '医疗机构'],
  ['practitioner', '医务人员'],
  ['team', '家庭医生团队'],
  ['person', '居民'],
  ['audit_event', '审计事件'],
  ['job_run', '任务运行记录'],
  ['api_client', '合作系统'],
];

/** Something for the jobs console to watch: counts a few tables, a log line and progress per step. */
export const sampleReportJob: JobDef = {
  name: 'platform.sample-report',
  title: '数据统计示例任务',
  defaultCron: '0 2 * * *',
  defaultEnabled: true,
  async handler(ctx, payload) {
    const raw = Number(payload.stepDelayMs ?? 300);
    const delay = Number.isFinite(raw) ? Math.min(Math.max(raw, 0), 2000) : 300;
    const total = TABLES.length + 1;
    const counts: Record<string, number | null> = {};
    await ctx.progress(0, total);
    for (const [i, [table, label]] of TABLES.entries()) {
      const n = await ctx.transaction(async (tx) => {
        const [exists] = await tx.query<{ t: string | null }>('select to_regclass($1)::text as t', [`public.${table}`]);
        if (!exists?.t) return null;
        // The name comes from the fixed list above, never from input.
        const [row] = await tx.query<{ n: number }>(`select count(*)::bigint as n from ${table}`);
        return Number(row!.n);
      });
      counts[table] = n;
      await ctx.log(n === null ? `${label}（${table}）：未安装` : `${label}（${table}）：${n} 行`);
      await ctx.progress(i + 1, total);
      if (delay) await sleep(delay);
    }
    const sum = Object.values(counts).reduce<number>((a, b) => a + (b ?? 0), 0);
    await ctx.log(`统计完成：${TABLES.length} 张表，合计 ${sum} 行`);
    await ctx.progress(total, total);
    return { counts, total: sum };
  },
};

/** Partner request nonces only guard against replays inside the signature window; a day is plenty. */
export const purgeNoncesJob: JobDef = {
  name: 'platform.purge-nonces',
  title: '清理过期的接口防重放随机数',
  defaultCron: '0 * * * *',
  defaultEnabled: true,
  retries: 2,
  backoffSeconds: 60,
  async handler(ctx) {
    const deleted = await ctx.transaction(async (tx) => {
      const rows = await tx.query(`delete from api_nonce where seen_at < now() - interval '1 day' returning 1`);
      return rows.length;
    });
    await ctx.log(`已删除 ${deleted} 条过期随机数`);
    return { deleted };
  },
};

export const platformJobs: JobDef[] = [sampleReportJob, purgeNoncesJob];
