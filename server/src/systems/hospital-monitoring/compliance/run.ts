import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import type { Queryable } from '../../../platform/db/types.ts';
import { enqueueJob } from '../../../platform/jobs/enqueue.ts';
import type { JobContext, JobDef } from '../../../platform/jobs/types.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { unprocessable } from '../../../platform/http/errors.ts';
import { compileRule } from '../../../platform/rules/index.ts';
import { enumOf, Id, pageOf, Paging } from '../../../platform/http/schema.ts';
import { complianceCatalog, type FindingSource } from './catalog.ts';
import * as repo from './repository.ts';
import { actorOf, toRule } from './shapes.ts';
import { RunList, RunRequested } from './responses.ts';

export const RUN_JOB = 'compliance.run';
export const RUN_MODES = ['full', 'incremental'] as const;
export type RunMode = (typeof RUN_MODES)[number];

export const RunBody = Type.Object(
  { ruleIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 200 })), mode: Type.Optional(enumOf(RUN_MODES)) },
  { additionalProperties: false },
);

/** Queues a run (the cm_run row and the job run are written in the caller's transaction). */
export async function requestRun(
  ctx: ServiceContext,
  b: typeof RunBody.static,
  from: { ruleSetId?: number; trigger?: 'manual' | 'schedule' } = {},
): Promise<{ runId: number; jobRunId: number; existing: boolean }> {
  const ids = b.ruleIds ? [...new Set(b.ruleIds)] : null;
  if (ids) {
    const { rows } = await repo.listRules(ctx.tx, { ids, enabled: true }, { limit: 200, offset: 0 });
    if (rows.length === 0) throw unprocessable('所选规则均未启用或不存在', [{ field: 'ruleIds', message: '请选择已启用的规则' }]);
  }
  const mode = b.mode ?? 'full';
  const trigger = from.trigger ?? 'manual';
  if (trigger === 'manual') {
    // The same run (mode, rules, rule set) still queued or running: answer with it, queue no second one.
    await ctx.tx.query(`select pg_advisory_xact_lock(hashtext('job_run:' || $1::text))`, [RUN_JOB]);
    const [pending] = await ctx.tx.query<{ id: number; run_id: number }>(
      `select j.id, r.id as run_id from job_run j join cm_run r on r.id = (j.payload->>'cmRunId')::bigint
        where j.job = $1 and j.status in ('queued', 'running', 'retrying') and r.mode = $2
          and r.rule_ids is not distinct from $3::bigint[] and r.rule_set_id is not distinct from $4::bigint
        order by j.id limit 1`,
      [RUN_JOB, mode, ids, from.ruleSetId ?? null],
    );
    if (pending) {
      ctx.audit.write({
        action: 'compliance.run.request',
        objectType: 'cm_run',
        objectId: Number(pending.run_id),
        note: '相同的监测运行已在排队或运行，未重复排队',
      });
      return { runId: Number(pending.run_id), jobRunId: Number(pending.id), existing: true };
    }
  }
  const runId = await repo.insertRun(ctx.tx, { mode, ruleIds: ids, requestedBy: actorOf(ctx.principal), ruleSetId: from.ruleSetId ?? null, trigger });
  const jobRunId = await enqueueJob(ctx.tx, RUN_JOB, { cmRunId: runId }, trigger, actorOf(ctx.principal));
  await repo.setRunJob(ctx.tx, runId, jobRunId);
  ctx.audit.write({
    action: 'compliance.run.request',
    objectType: 'cm_run',
    objectId: runId,
    after: { mode, ruleIds: ids, ruleSetId: from.ruleSetId ?? null, trigger },
  });
  return { runId, jobRunId, existing: false };
}

/**
 * The job: every enabled rule of the run's set, one transaction each, compiled to one set-based query
 * executed inside the database; new hits become findings (unique per rule and row, so re-runs add
 * nothing twice). Incremental runs judge only rows changed since the last successful run of the same
 * rule version (window aggregates still read every row). Per-rule hits, inserts and milliseconds are kept.
 *
 * Each rule is one step whose findings and whose cm_run_rule row commit in the same transaction, so the run
 * shows exactly which steps finished. A run executed again after its process was killed (platform/jobs
 * worker.ts marks it interrupted and retries it) skips the steps already finished and does the rest:
 * nothing is counted or found twice, nothing half-written stays.
 */
export async function runCompliance(ctx: JobContext, payload: Record<string, unknown>) {
  let runId = Number(payload.cmRunId);
  if (!Number.isSafeInteger(runId) || runId < 1) {
    // A scheduled run: incremental over every enabled rule.
    runId = await ctx.transaction((tx) => repo.insertRun(tx, { mode: payload.mode === 'full' ? 'full' : 'incremental', ruleIds: null, requestedBy: 'system' }));
  }
  const run = await ctx.transaction(async (tx) => {
    const r = await repo.findRun(tx, runId);
    if (r) await repo.startRun(tx, runId, ctx.runId);
    return r;
  });
  if (!run) throw new Error(`监测运行 ${runId} 不存在`);
  const rules = await ctx.transaction(
    async (tx) => (await repo.listRules(tx, { enabled: true, ids: run.rule_ids ?? undefined }, { limit: 10_000, offset: 0 })).rows,
  );
  await ctx.log(`监测运行 #${runId}（${run.mode === 'full' ? '全量' : '增量'}）：${rules.length} 条规则`);
  const finished = await ctx.transaction((tx) => finishedSteps(tx, runId));
  const todo = rules.filter((r) => !finished.has(r.id));
  if (todo.length < rules.length) await ctx.log(`已完成的 ${rules.length - todo.length} 条规则（中断前已提交）不再重复执行`);
  let failed = 0;
  let done = rules.length - todo.length;
  await ctx.progress(done, rules.length);
  const workMem = runWorkMem(ctx.kernel.db.kind);
  // Rules are independent set-based queries: on a PostgreSQL server several run at once (one connection
  // each); PGlite has one connection, so there they run one after another.
  const parallel = runParallelism(ctx.kernel.db.kind);
  const runOne = async (r: repo.RuleRow) => {
    const t0 = Date.now();
    let since: Date | null = null;
    try {
      // A city-wide run as the system: every row is in its scope, so the rule's pass over millions of rows is
      // made without row-level security (see JobContext.systemTransaction); run requests are city-level only.
      const result = await ctx.systemTransaction(async (tx) => {
        // A rule is one analytical query (hash joins and groupings over millions of rows): give it memory so
        // they stay in RAM instead of spilling to disk, for this transaction only.
        if (workMem) await tx.exec(`set local work_mem = '${workMem}'`);
        // Rules already run side by side, one per connection. A rule's own parallel workers would each build
        // the same hash of a window aggregate again (seen: the per-patient-month hash built three times) and
        // crowd the cores the other rules use.
        if (parallel > 1) await tx.exec('set local max_parallel_workers_per_gather = 0');
        since = run.mode === 'incremental' ? await repo.lastRunStart(tx, r.id, r.current_version, runId) : null;
        const compiled = compileRule(complianceCatalog, toRule(r.id, r.current_version, r.title, r.tree), since ? { changedSince: since } : {});
        const found = await repo.insertFindings(tx, r.tree.source as FindingSource, compiled, {
          ruleId: r.id,
          version: r.current_version,
          category: r.category,
          runId,
        });
        // The step's record commits with its findings: both or neither.
        const ms = Date.now() - t0;
        await repo.recordRunRule(tx, { runId, ruleId: r.id, version: r.current_version, since, ...found, ms, error: null });
        return { ...found, ms };
      });
      await ctx.log(`「${r.title}」v${r.current_version}：命中 ${result.hits}，新增 ${result.inserted}，${result.ms} 毫秒`);
    } catch (e) {
      failed++;
      const message = e instanceof Error ? e.message : String(e);
      await ctx.transaction((tx) =>
        repo.recordRunRule(tx, {
          runId,
          ruleId: r.id,
          version: r.current_version,
          since,
          hits: 0,
          inserted: 0,
          ms: Date.now() - t0,
          error: message.slice(0, 500),
        }),
      );
      await ctx.log(`「${r.title}」执行失败：${message}`);
    }
    await ctx.progress(++done, rules.length);
  };
  const queue = [...todo];
  await Promise.all(
    Array.from({ length: Math.min(parallel, queue.length) }, async () => {
      for (let r = queue.shift(); r; r = queue.shift()) await runOne(r);
    }),
  );
  await ctx.transaction((tx) => repo.finishRun(tx, runId, failed ? 'failed' : 'succeeded'));
  return { runId, rules: rules.length, failed };
}

/** Rules of the run whose step committed without error (an earlier, interrupted execution of the same run). */
async function finishedSteps(tx: Queryable, runId: number): Promise<Set<number>> {
  const rows = await tx.query<{ rule_id: number }>('select rule_id::int as rule_id from cm_run_rule where run_id = $1 and error is null', [runId]);
  return new Set(rows.map((r) => Number(r.rule_id)));
}

/** Rules run at once: WEIJIAN_COMPLIANCE_PARALLEL, else 1 on PGlite and 2 on a PostgreSQL server. */
export function runParallelism(kind: string, env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.WEIJIAN_COMPLIANCE_PARALLEL);
  if (Number.isSafeInteger(n) && n >= 1) return kind === 'pglite' ? 1 : Math.min(n, 16);
  return kind === 'pglite' ? 1 : 2;
}

/** work_mem of a rule's transaction on a PostgreSQL server: WEIJIAN_COMPLIANCE_WORK_MEM (e.g. 256MB), default 128MB. */
export function runWorkMem(kind: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (kind === 'pglite') return null;
  const v = env.WEIJIAN_COMPLIANCE_WORK_MEM?.trim();
  return v && /^\d{1,6}(kB|MB|GB)$/.test(v) ? v : '128MB';
}

export const complianceRunJob: JobDef = {
  name: RUN_JOB,
  title: '医疗服务合规监测运行',
  defaultCron: '30 2 * * *',
  defaultEnabled: false,
  handler: runCompliance,
};

export const runNowRoute = defineRoute({
  method: 'POST',
  url: '/compliance/runs',
  summary: '立即运行监测规则（全部启用规则或指定规则；全量或增量）',
  auth: 'staff',
  permission: 'compliance.manage',
  scope: 'city',
  body: RunBody,
  successStatus: 201,
  response: { 201: RunRequested },
  handler: (ctx, { body }) => {
    return requestRun(ctx, body);
  },
});

export const RunsQuery = Type.Object({ ruleSetId: Type.Optional(Id), ...Paging }, { additionalProperties: false });

export const listRunsRoute = defineRoute({
  method: 'GET',
  url: '/compliance/runs',
  summary: '监测运行记录（进度、每条规则的命中数与耗时；可按规则集筛选）',
  auth: 'staff',
  permission: 'compliance.read',
  querystring: RunsQuery,
  response: { 200: RunList },
  handler: async (ctx, { query }) => {
    const { rows, total } = await repo.listRuns(ctx.tx, pageOf(query), query.ruleSetId);
    return { items: rows, total };
  },
});
