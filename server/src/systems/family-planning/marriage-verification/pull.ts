import { Type } from '@sinclair/typebox';
import type { AuditBuffer } from '../../../platform/audit/event.ts';
import type { Tx } from '../../../platform/db/types.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enqueueJobOnce } from '../../../platform/jobs/enqueue.ts';
import type { JobDef } from '../../../platform/jobs/types.ts';
import type { Kernel } from '../../../platform/kernel.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import type { CaseStatus } from './rules.ts';
import { createCase } from './cases.ts';
import { type PullOptions, pullAll } from '../../../platform/integration/data-platform-source.ts';
import { parseMarriage } from './normalize.ts';
import { PullBatchList, PullRequested } from './responses.ts';

export const PULL_JOB = 'marriage-verification.pull';

export interface PullDeps {
  kernel: Pick<Kernel, 'keys' | 'config'>;
  /** A transaction as the system principal (a job's ctx.transaction). */
  transaction<T>(fn: (tx: Tx, audit: AuditBuffer) => Promise<T>): Promise<T>;
  log?: (m: string) => Promise<void>;
}

export interface PullCounts {
  fetched: number;
  created: number;
  duplicates: number;
  rejected: number;
  byStatus: Record<CaseStatus, number>;
}

const yesterday = (today: string) => new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * One day of 民政 registrations: pull (outside any transaction), then create and audit every case in ONE
 * transaction — a failure leaves no half batch. A failed pull is recorded as a failed batch and thrown,
 * so the job's retries run it again.
 */
export async function runPull(
  deps: PullDeps,
  date: string,
  actor: string,
  fetch: Partial<PullOptions> = {},
  today = todayInShanghai(),
): Promise<{ batchId: number } & PullCounts> {
  let records: Record<string, unknown>[];
  try {
    records = (
      await pullAll(deps.kernel.keys, `/api/v1/civil-affairs/marriages?date=${date}`, '民政婚姻数据', {
        production: deps.kernel.config.env === 'production',
        ...fetch,
      })
    ).records;
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
    await deps.transaction(async (tx, audit) => {
      const b = (
        await tx.query<{ id: number }>(
          `insert into fp_mv_batch (source_date, status, error, requested_by, finished_at) values ($1, 'failed', $2, $3, now()) returning id::int as id`,
          [date, message, actor],
        )
      )[0]!;
      audit.write({ action: 'marriage-verification.pull.failed', objectType: 'fp_mv_batch', objectId: b.id, note: message.slice(0, 200) });
    });
    await deps.log?.(message);
    throw e;
  }
  const out = await deps.transaction(async (tx, audit) => {
    const b = (
      await tx.query<{ id: number }>('insert into fp_mv_batch (source_date, requested_by) values ($1, $2) returning id::int as id', [date, actor])
    )[0]!;
    const counts: PullCounts = { fetched: records.length, created: 0, duplicates: 0, rejected: 0, byStatus: { matched: 0, exception: 0, manual: 0 } };
    const ctx = { tx, kernel: deps.kernel, audit, actor };
    for (const raw of records) {
      const parsed = parseMarriage(raw);
      if ('errors' in parsed) {
        counts.rejected++;
        continue;
      }
      const r = await createCase(ctx, parsed.record, b.id, today);
      if ('duplicate' in r) counts.duplicates++;
      else {
        counts.created++;
        counts.byStatus[r.status]++;
      }
    }
    await tx.query(`update fp_mv_batch set status = 'done', fetched = $2, created = $3, duplicates = $4, rejected = $5, finished_at = now() where id = $1`, [
      b.id,
      counts.fetched,
      counts.created,
      counts.duplicates,
      counts.rejected,
    ]);
    audit.write({ action: 'marriage-verification.pull', objectType: 'fp_mv_batch', objectId: b.id, after: { date, ...counts } });
    return { batchId: b.id, ...counts };
  });
  await deps.log?.(
    `民政婚姻 ${date}：拉取 ${out.fetched} 条，新建个案 ${out.created}（匹配 ${out.byStatus.matched}、异常 ${out.byStatus.exception}、待人工 ${out.byStatus.manual}），重复 ${out.duplicates}，无效 ${out.rejected}`,
  );
  return out;
}

export const pullJob: JobDef = {
  name: PULL_JOB,
  title: '民政婚姻登记数据每日拉取与自动核对',
  defaultCron: '0 7 * * *',
  defaultEnabled: true,
  retries: 3,
  backoffSeconds: 300,
  handler: async (ctx, payload) => {
    const date = typeof payload.date === 'string' ? payload.date : yesterday(todayInShanghai());
    return runPull(
      { kernel: ctx.kernel, transaction: (fn) => ctx.transaction(fn), log: (m) => ctx.log(m) },
      date,
      typeof payload.requestedBy === 'string' ? payload.requestedBy : 'system',
    );
  },
};

export const runPullRoute = defineRoute({
  method: 'POST',
  url: '/marriage-verification/pull-runs',
  summary: '立即拉取指定日期的民政婚姻登记数据（排入后台任务）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'marriage-verification.pull',
  scope: 'city',
  body: Type.Object({ date: Type.String({ format: 'date', maxLength: 10, description: '拉取哪一天的民政登记数据' }) }, { additionalProperties: false }),
  successStatus: 201,
  response: { 201: PullRequested },
  handler: async (ctx, { body }) => {
    const { runId: jobRunId, existing } = await enqueueJobOnce(
      ctx.tx,
      PULL_JOB,
      { date: body.date, requestedBy: ctx.principal.username },
      'manual',
      ctx.principal.username,
    );
    ctx.audit.write({ action: 'marriage-verification.pull.request', objectType: 'job_run', objectId: jobRunId, after: { date: body.date, existing } });
    return { jobRunId, existing };
  },
});

export const listPullsRoute = defineRoute({
  method: 'GET',
  url: '/marriage-verification/pull-runs',
  summary: '民政婚姻数据拉取批次',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'marriage-verification.read',
  querystring: Type.Object(
    { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) },
    { additionalProperties: false },
  ),
  response: { 200: PullBatchList },
  handler: async (ctx, { query }) => {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const rows = await ctx.tx.query<Record<string, unknown>>(
      `select id::int as id, source_date::text as source_date, status, fetched, created, duplicates, rejected, error, requested_by, started_at, finished_at, count(*) over ()::int as total
         from fp_mv_batch order by id desc limit $1 offset $2`,
      [pageSize, (page - 1) * pageSize],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        sourceDate: r.source_date,
        status: r.status,
        fetched: r.fetched,
        created: r.created,
        duplicates: r.duplicates,
        rejected: r.rejected,
        error: r.error,
        requestedBy: r.requested_by,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
      })),
      total: Number(rows[0]?.total ?? 0),
      page,
      pageSize,
    };
  },
});
