import type { ServiceContext } from '../../../platform/service-context.ts';
import { enqueueJob } from '../../../platform/jobs/enqueue.ts';
import type { JobContext, JobDef } from '../../../platform/jobs/types.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { engineRule, type DqRuleInput } from './definition.ts';
import { hitsSql } from './hits-sql.ts';
import * as repo from './repository.ts';
import { CheckRequested, CheckRunList } from './responses.ts';

export const CHECK_JOB = 'data-quality.check';

export async function requestCheck(ctx: ServiceContext): Promise<{ runId: number; jobRunId: number; existing: boolean }> {
  // A requested check still queued or running covers every enabled rule already: answer with it rather
  // than a second one (double click, two administrators). The lock makes concurrent requests agree.
  await ctx.tx.query(`select pg_advisory_xact_lock(hashtext('job_run:' || $1::text))`, [CHECK_JOB]);
  const [pending] = await ctx.tx.query<{ id: number; run_id: number }>(
    `select id, (payload->>'dqRunId')::bigint as run_id from job_run
      where job = $1 and status in ('queued', 'running', 'retrying') and payload->>'dqRunId' is not null order by id limit 1`,
    [CHECK_JOB],
  );
  if (pending) {
    ctx.audit.write({ action: 'data-quality.check.request', objectType: 'dq_run', objectId: Number(pending.run_id), note: '已有检查在排队或运行，未重复排队' });
    return { runId: Number(pending.run_id), jobRunId: Number(pending.id), existing: true };
  }
  const runId = await repo.insertRun(ctx.tx, ctx.principal.username);
  const jobRunId = await enqueueJob(ctx.tx, CHECK_JOB, { dqRunId: runId }, 'manual', ctx.principal.username);
  await repo.setRunJob(ctx.tx, runId, jobRunId);
  ctx.audit.write({ action: 'data-quality.check.request', objectType: 'dq_run', objectId: runId });
  return { runId, jobRunId, existing: false };
}

export const dqRuleInput = (r: repo.DqRuleRow): DqRuleInput => ({
  kind: r.kind as DqRuleInput['kind'],
  title: r.title,
  source: r.source as DqRuleInput['source'],
  field: r.field,
  definition: r.definition,
  suggestion: r.suggestion,
  severity: r.severity as DqRuleInput['severity'],
});

/**
 * The check job: every enabled rule, one transaction each, as one set-based query in the database. New
 * hits become open anomalies with their suggested fix; anomalies no longer found are closed (a corrected
 * row is confirmed this way); a corrected row that is still wrong is reopened.
 */
export async function runCheck(ctx: JobContext, payload: Record<string, unknown>) {
  let runId = Number(payload.dqRunId);
  if (!Number.isSafeInteger(runId) || runId < 1) runId = await ctx.transaction((tx) => repo.insertRun(tx, 'system'));
  await ctx.transaction((tx) => repo.startRun(tx, runId, ctx.runId));
  const rules = await ctx.transaction((tx) => repo.listRules(tx, { enabled: true }));
  await ctx.log(`数据质量检查 #${runId}：${rules.length} 条规则`);
  await ctx.progress(0, rules.length);
  const totals = { found: 0, opened: 0, closed: 0 };
  let failed = 0;
  for (const [i, r] of rules.entries()) {
    const t0 = Date.now();
    try {
      const res = await ctx.transaction(async (tx) => {
        const h = hitsSql(engineRule(r.id, r.version, dqRuleInput(r)), r.definition);
        const up = await repo.upsertAnomalies(tx, h, r, runId);
        const closed = await repo.closeUnseen(tx, r.id, runId);
        return { ...up, closed };
      });
      totals.found += res.found;
      totals.opened += res.opened;
      totals.closed += res.closed;
      await ctx.log(`「${r.title}」：发现 ${res.found}，新增 ${res.opened}，已消除 ${res.closed}，${Date.now() - t0} 毫秒`);
    } catch (e) {
      failed++;
      await ctx.log(`「${r.title}」执行失败：${e instanceof Error ? e.message : String(e)}`);
    }
    await ctx.progress(i + 1, rules.length);
  }
  await ctx.transaction((tx) => repo.finishRun(tx, runId, { status: failed ? 'failed' : 'succeeded', rules: rules.length, ...totals }));
  return { runId, rules: rules.length, ...totals, failed };
}

export const dataQualityCheckJob: JobDef = {
  name: CHECK_JOB,
  title: '多源数据质量自检',
  defaultCron: '0 3 * * *',
  defaultEnabled: true,
  handler: runCheck,
};

export const runCheckRoute = defineRoute({
  method: 'POST',
  url: '/data-quality/checks',
  summary: '立即运行数据质量检查（全部启用的规则）',
  auth: 'staff',
  permission: 'data-quality.manage',
  scope: 'city',
  successStatus: 201,
  response: { 201: CheckRequested },
  handler: (ctx) => {
    return requestCheck(ctx);
  },
});

export const listChecksRoute = defineRoute({
  method: 'GET',
  url: '/data-quality/checks',
  summary: '数据质量检查记录',
  auth: 'staff',
  permission: 'data-quality.read',
  response: { 200: CheckRunList },
  handler: async (ctx) => ({ items: await repo.listRuns(ctx.tx) }),
});
