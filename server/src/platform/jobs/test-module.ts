// Test-only job types, registered through a module like any other: testApp({ modules: [...allModules, jobsTestModule] }).
import { defineModule } from '../module.ts';

export const calls: { name: string; attempt: number; payload: Record<string, unknown> }[] = [];

export const jobsTestModule = defineModule({
  name: 'test.jobs',
  title: '测试任务',
  system: 'platform',
  jobs: [
    {
      name: 'test.always-fails',
      title: '总是失败',
      retries: 2,
      backoffSeconds: 1,
      async handler(ctx, payload) {
        calls.push({ name: 'test.always-fails', attempt: ctx.attempt, payload });
        throw new Error(`故意失败 ${ctx.attempt}`);
      },
    },
    {
      name: 'test.fails-once',
      title: '第一次失败',
      retries: 1,
      backoffSeconds: 0,
      async handler(ctx) {
        calls.push({ name: 'test.fails-once', attempt: ctx.attempt, payload: {} });
        if (ctx.attempt === 1) throw new Error('第一次失败');
        return { ok: true };
      },
    },
    {
      name: 'test.writes',
      title: '写数据并审计',
      defaultCron: '*/5 * * * *',
      async handler(ctx) {
        return ctx.transaction(async (tx, audit) => {
          // Logging inside the transaction must not touch the (PGlite: only) connection.
          await ctx.log('在事务中写入');
          await ctx.progress(1, 2);
          const [r] = await tx.query<{ level: string }>("select current_setting('weijian.level') as level");
          audit.write({ action: 'test.job-write', objectType: 'test', objectId: ctx.runId });
          return { level: r!.level };
        });
      },
    },
  ],
});
