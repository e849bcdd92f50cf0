import { SYSTEM_PRINCIPAL } from '../../../platform/auth/principal.ts';
import { nextRun } from '../../../platform/jobs/cron.ts';
import type { JobContext, JobDef } from '../../../platform/jobs/types.ts';
import { dueRuleSets, setNextRun } from './rule-set-repository.ts';
import { requestRun } from './run.ts';

export const RULE_SET_TICK_JOB = 'compliance.rule-sets';

/**
 * Every minute: each online rule set whose cron time has come gets a run (its strategy, its rules) and its
 * next start. A set none of whose rules is enabled any more is skipped until its next time (logged). Sets
 * are locked while they are handled, so overlapping ticks never start one twice.
 */
export async function tickRuleSets(ctx: JobContext, now = new Date()): Promise<{ started: number; skipped: number }> {
  return ctx.transaction(async (tx, audit) => {
    let started = 0;
    let skipped = 0;
    for (const s of await dueRuleSets(tx, now)) {
      await setNextRun(tx, s.id, nextRun(s.cron as string, now));
      try {
        await tx.exec('savepoint rule_set_tick');
        const { runId } = await requestRun(
          { tx, principal: SYSTEM_PRINCIPAL, audit, kernel: ctx.kernel },
          { ruleIds: s.rule_ids, mode: s.strategy },
          { ruleSetId: s.id, trigger: 'schedule' },
        );
        await tx.exec('release savepoint rule_set_tick');
        await ctx.log(`规则集「${s.name}」按计划启动运行 #${runId}（${s.strategy === 'full' ? '全量' : '增量'}）`);
        started++;
      } catch (e) {
        await tx.exec('rollback to savepoint rule_set_tick');
        await ctx.log(`规则集「${s.name}」未启动：${e instanceof Error ? e.message : String(e)}`);
        skipped++;
      }
    }
    return { started, skipped };
  });
}

export const ruleSetTickJob: JobDef = {
  name: RULE_SET_TICK_JOB,
  title: '合规监测规则集调度',
  defaultCron: '* * * * *',
  defaultEnabled: true,
  handler: (ctx) => tickRuleSets(ctx),
};
