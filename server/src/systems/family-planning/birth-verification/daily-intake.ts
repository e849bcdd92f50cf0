import { Type } from '@sinclair/typebox';
import type { AuditBuffer } from '../../../platform/audit/event.ts';
import type { Tx } from '../../../platform/db/types.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { wakeDispatcher } from '../../../platform/integration/dispatcher.ts';
import { enqueueJobOnce } from '../../../platform/jobs/enqueue.ts';
import type { JobDef } from '../../../platform/jobs/types.ts';
import type { Kernel } from '../../../platform/kernel.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { type FetchOptions, fetchDay } from './mch-source.ts';
import { type DeathCounts, ingestDeaths } from './deaths.ts';
import { type IntakeCounts, ingestRecords } from './intake.ts';
import * as tasks from './task-repository.ts';
import { IntakeBatchList, IntakeRequested, RejectedList } from './responses.ts';

export const INTAKE_JOB = 'birth-verification.mch-daily';

const yesterday = (today: string) => new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

export interface IntakeDeps {
  kernel: Pick<Kernel, 'keys' | 'config'> & Partial<Pick<Kernel, 'services'>>;
  /** A transaction as the system principal (a job's ctx.transaction). */
  transaction<T>(fn: (tx: Tx, audit: AuditBuffer) => Promise<T>): Promise<T>;
  log?: (m: string) => Promise<void>;
}

/**
 * One day of the 市妇幼 channel: pull (outside any transaction), then clean, route and create or revert
 * tasks in ONE transaction — a failure leaves no half batch. A pull that fails is recorded as a failed
 * batch and thrown, so the job's retries run it again.
 */
export async function runDailyIntake(
  deps: IntakeDeps,
  date: string,
  actor: string,
  fetch: Partial<FetchOptions> = {},
  today = todayInShanghai(),
): Promise<{ batchId: number } & IntakeCounts & DeathCounts> {
  let records: Record<string, unknown>[];
  let deaths: Record<string, unknown>[];
  try {
    const opts = { production: deps.kernel.config.env === 'production', ...fetch };
    records = (await fetchDay(deps.kernel.keys, date, opts)).records;
    // The same channel's death reports of the day (儿童/孕产妇死亡报告卡): to the resident index, source 市妇幼.
    deaths = (await fetchDay(deps.kernel.keys, date, opts, 'deaths')).records;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await deps.transaction(async (tx, audit) => {
      const id = await tasks.startBatch(tx, date, actor);
      await tasks.finishBatch(tx, id, { status: 'failed', fetched: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, error: message.slice(0, 1000) });
      audit.write({ action: 'birth-verification.intake.failed', objectType: 'fp_mch_batch', objectId: id, note: message.slice(0, 200) });
    });
    await deps.log?.(message);
    throw e;
  }
  const out = await deps.transaction(async (tx, audit) => {
    const batchId = await tasks.startBatch(tx, date, actor);
    const counts = await ingestRecords({ tx, kernel: deps.kernel, audit }, { id: batchId, sourceDate: date }, records, { today, actor });
    const d = await ingestDeaths({ tx, keys: deps.kernel.keys, audit, batchId, actor }, deaths);
    await tasks.finishBatch(tx, batchId, { status: 'done', ...counts, ...d });
    audit.write({ action: 'birth-verification.intake', objectType: 'fp_mch_batch', objectId: batchId, after: { date, ...counts, ...d } });
    return { batchId, ...counts, ...d };
  });
  await deps.log?.(
    `市妇幼 ${date}：拉取 ${out.fetched} 条，新建任务 ${out.created}，变更退回重核 ${out.updated}，无变化 ${out.unchanged}，拒收 ${out.rejected}；死亡报告新收 ${out.deaths} 条，登记死亡 ${out.deathsRecorded}`,
  );
  if (deps.kernel.services) wakeDispatcher(deps.kernel as Pick<Kernel, 'services'>);
  return out;
}

export const intakeJob: JobDef = {
  name: INTAKE_JOB,
  title: '市妇幼出生信息每日拉取与任务派发',
  defaultCron: '30 6 * * *',
  defaultEnabled: true,
  retries: 3,
  backoffSeconds: 300,
  handler: async (ctx, payload) => {
    const date = typeof payload.date === 'string' ? payload.date : yesterday(todayInShanghai());
    return runDailyIntake(
      { kernel: ctx.kernel, transaction: (fn) => ctx.transaction(fn), log: (m) => ctx.log(m) },
      date,
      typeof payload.requestedBy === 'string' ? payload.requestedBy : 'system',
    );
  },
};

export const RunIntakeBody = Type.Object(
  { date: Type.String({ format: 'date', maxLength: 10, description: '拉取哪一天的市妇幼出生数据' }) },
  { additionalProperties: false },
);

export const runIntakeRoute = defineRoute({
  method: 'POST',
  url: '/birth-verification/intake-runs',
  summary: '立即拉取指定日期的市妇幼出生数据（排入后台任务）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.intake',
  scope: 'city',
  body: RunIntakeBody,
  successStatus: 201,
  response: { 201: IntakeRequested },
  handler: async (ctx, { body }) => {
    const { runId: jobRunId, existing } = await enqueueJobOnce(
      ctx.tx,
      INTAKE_JOB,
      { date: body.date, requestedBy: ctx.principal.username },
      'manual',
      ctx.principal.username,
    );
    ctx.audit.write({ action: 'birth-verification.intake.request', objectType: 'job_run', objectId: jobRunId, after: { date: body.date, existing } });
    return { jobRunId, existing };
  },
});

const BatchQuery = Type.Object(
  { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) },
  { additionalProperties: false },
);

export const listBatchesRoute = defineRoute({
  method: 'GET',
  url: '/birth-verification/intake-runs',
  summary: '市妇幼数据拉取批次（数量与拒收情况）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.read',
  querystring: BatchQuery,
  response: { 200: IntakeBatchList },
  handler: async (ctx, { query }) => {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const rows = await ctx.tx.query<Record<string, unknown>>(
      `select id, source_date, status, fetched, created, updated, unchanged, rejected, deaths, deaths_recorded, error, requested_by, started_at, finished_at, count(*) over () as total
         from fp_mch_batch order by id desc limit $1 offset $2`,
      [pageSize, (page - 1) * pageSize],
    );
    return {
      items: rows.map((r) => ({
        id: Number(r.id),
        sourceDate: r.source_date,
        status: r.status,
        fetched: r.fetched,
        created: r.created,
        updated: r.updated,
        unchanged: r.unchanged,
        rejected: r.rejected,
        deaths: r.deaths,
        deathsRecorded: r.deaths_recorded,
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

const RejectedQuery = Type.Object(
  {
    batchId: Type.Optional(Type.Integer({ minimum: 1 })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const listRejectedRoute = defineRoute({
  method: 'GET',
  url: '/birth-verification/rejected',
  summary: '清洗拒收的市妇幼记录及原因（证件号已脱敏）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.read',
  querystring: RejectedQuery,
  response: { 200: RejectedList },
  handler: async (ctx, { query }) => {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const rows = await ctx.tx.query<Record<string, unknown>>(
      `select id, batch_id, row_no, raw, reasons, district_code, street_code, created_at, count(*) over () as total
         from fp_mch_rejected where ($1::bigint is null or batch_id = $1) order by id desc limit $2 offset $3`,
      [query.batchId ?? null, pageSize, (page - 1) * pageSize],
    );
    return {
      items: rows.map((r) => ({
        id: Number(r.id),
        batchId: Number(r.batch_id),
        rowNo: r.row_no,
        raw: r.raw,
        reasons: r.reasons,
        districtCode: r.district_code,
        streetCode: r.street_code,
        createdAt: r.created_at,
      })),
      total: Number(rows[0]?.total ?? 0),
      page,
      pageSize,
    };
  },
});
