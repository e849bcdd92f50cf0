import { Type } from '@sinclair/typebox';
import { notFound } from '../../../platform/http/errors.ts';
import { one, sql, where } from '../../../platform/db/index.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enqueueJob, enqueueJobOnce, PENDING_RUN_STATUSES } from '../../../platform/jobs/enqueue.ts';
import { enumOf, Id, pageOf, Paging } from '../../../platform/http/schema.ts';
import { insertReconciliation, MISMATCH_KINDS, MISMATCH_TITLE, RECONCILE_JOB } from './reconcile.ts';
import { actorOf } from './screen.ts';
import { NATIONAL_STATUS_TITLE, SYNC_JOB } from './sync.ts';
import { ReconciliationItemPage, ReconciliationPage, ReconciliationQueued, SyncQueued, SyncStatus } from './responses.ts';

/** 与国家系统同步 and 对账: status counts, run now, reconciliation runs and their mismatch report. */
const tags = ['计划生育'];

export const syncStatusRoute = defineRoute({
  method: 'GET',
  url: '/childcare-subsidy/sync/status',
  summary: '与国家系统同步情况（数据权限内：待上传、上传中、已受理、已发放、退回、上传失败）',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.read',
  response: { 200: SyncStatus },
  handler: async (ctx) => {
    const [c] = await ctx.tx.query<Record<string, number>>(
      `select count(*) filter (where a.sync_message_id is null)::int as not_queued,
              count(*) filter (where a.sync_message_id is not null and a.national_status is null and m.status is distinct from 'dead')::int as uploading,
              count(*) filter (where a.national_status is null and m.status = 'dead')::int as upload_failed,
              count(*) filter (where a.national_status = 'accepted')::int as accepted,
              count(*) filter (where a.national_status = 'paid')::int as paid,
              count(*) filter (where a.national_status = 'rejected')::int as rejected,
              count(*)::int as approved
         from cs_application a left join outbox_message m on m.id = a.sync_message_id where a.status = 'approved'`,
    );
    // The one cursor row is seeded by the module's migration.
    const cur = await one<{ last_seq: number; polled_at: Date | null; last_error: string | null }>(
      ctx.tx,
      sql`select last_seq, polled_at, last_error from cs_sync_cursor where id = 1`,
    );
    return { counts: c, feedback: { lastSeq: Number(cur.last_seq), polledAt: cur.polled_at, lastError: cur.last_error }, statusTitles: NATIONAL_STATUS_TITLE };
  },
});

export const syncNowRoute = defineRoute({
  method: 'POST',
  url: '/childcare-subsidy/sync',
  summary: '立即与国家系统同步（上传新审批通过的申领并读取反馈）',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.sync.manage',
  scope: 'city',
  body: Type.Object({}, { additionalProperties: false }),
  successStatus: 202,
  response: { 202: SyncQueued },
  handler: async (ctx) => {
    const { runId: jobRunId, existing } = await enqueueJobOnce(ctx.tx, SYNC_JOB, {}, 'manual', actorOf(ctx.principal));
    ctx.audit.write({ action: 'childcare-subsidy.sync.request', objectType: 'job_run', objectId: jobRunId, after: { existing } });
    return { jobRunId, existing };
  },
});

export const reconcileNowRoute = defineRoute({
  method: 'POST',
  url: '/childcare-subsidy/reconciliations',
  summary: '发起与国家系统对账',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.sync.manage',
  scope: 'city',
  body: Type.Object({}, { additionalProperties: false }),
  successStatus: 202,
  response: { 202: ReconciliationQueued },
  handler: async (ctx) => {
    // A reconciliation not yet finished (queued, running, retrying, interrupted) is the same request (it
    // takes no parameters): answer with it.
    await ctx.tx.query(`select pg_advisory_xact_lock(hashtext('job_run:' || $1::text))`, [RECONCILE_JOB]);
    const [pending] = await ctx.tx.query<{ id: number; rec_id: number }>(
      `select id, (payload->>'reconciliationId')::bigint as rec_id from job_run
        where job = $1 and status = any($2::text[]) and payload->>'reconciliationId' is not null order by id limit 1`,
      [RECONCILE_JOB, PENDING_RUN_STATUSES],
    );
    if (pending) {
      ctx.audit.write({
        action: 'childcare-subsidy.reconcile.request',
        objectType: 'cs_reconciliation',
        objectId: Number(pending.rec_id),
        note: '已有对账在排队或运行，未重复排队',
      });
      return { id: Number(pending.rec_id), jobRunId: Number(pending.id), existing: true };
    }
    const id = await insertReconciliation(ctx.tx, actorOf(ctx.principal));
    const jobRunId = await enqueueJob(ctx.tx, RECONCILE_JOB, { reconciliationId: id }, 'manual', actorOf(ctx.principal));
    ctx.audit.write({ action: 'childcare-subsidy.reconcile.request', objectType: 'cs_reconciliation', objectId: id });
    return { id, jobRunId, existing: false };
  },
});

interface RunRow {
  id: string;
  status: string;
  ours: number | null;
  theirs: number | null;
  matched: number | null;
  requested_by: string | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export const listReconciliationsRoute = defineRoute({
  method: 'GET',
  url: '/childcare-subsidy/reconciliations',
  summary: '对账记录（差异数为本人数据权限内）',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.read',
  querystring: Type.Object({ ...Paging }, { additionalProperties: false }),
  response: { 200: ReconciliationPage },
  handler: async (ctx, { query }) => {
    const { limit, offset } = pageOf(query);
    const { n } = await one<{ n: number }>(ctx.tx, sql`select count(*)::int as n from cs_reconciliation`);
    const rows = await ctx.tx.query<RunRow>('select *, id::text as id from cs_reconciliation order by cs_reconciliation.id desc limit $1 offset $2', [
      limit,
      offset,
    ]);
    const counts = await ctx.tx.query<{ id: string; kind: string; n: number }>(
      'select reconciliation_id::text as id, kind, count(*)::int as n from cs_reconciliation_item where reconciliation_id = any($1::bigint[]) group by 1, 2',
      [rows.map((r) => r.id)],
    );
    const city = ctx.principal.scope.level === 'city';
    return {
      items: rows.map((r) => ({
        id: Number(r.id),
        status: r.status,
        // Totals over both systems are city-level figures; a district sees its own mismatches only.
        ours: city ? r.ours : null,
        theirs: city ? r.theirs : null,
        matched: city ? r.matched : null,
        mismatches: Object.fromEntries(MISMATCH_KINDS.map((k) => [k, counts.find((c) => c.id === r.id && c.kind === k)?.n ?? 0])),
        requestedBy: r.requested_by,
        error: r.error,
        createdAt: r.created_at,
        finishedAt: r.finished_at,
      })),
      total: n,
      kindTitles: MISMATCH_TITLE,
    };
  },
});

export const reconciliationItemsRoute = defineRoute({
  method: 'GET',
  url: '/childcare-subsidy/reconciliations/:id/items',
  summary: '对账差异报告（国家系统缺失、本地缺失、状态不一致）',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.read',
  params: Type.Object({ id: Id }, { additionalProperties: false }),
  querystring: Type.Object({ kind: Type.Optional(enumOf(MISMATCH_KINDS)), ...Paging }, { additionalProperties: false }),
  response: { 200: ReconciliationItemPage },
  handler: async (ctx, { params, query }) => {
    const [run] = await ctx.tx.query('select id from cs_reconciliation where id = $1', [params.id]);
    if (!run) throw notFound('对账记录不存在');
    const { limit, offset } = pageOf(query);
    const w = where([sql`reconciliation_id = ${params.id}`, query.kind && sql`kind = ${query.kind}`]);
    const { n } = await one<{ n: number }>(ctx.tx, sql`select count(*)::int as n from cs_reconciliation_item ${w}`);
    const rows = await ctx.tx.query<{
      application_id: string;
      kind: string;
      ours_status: string | null;
      theirs_status: string | null;
      theirs_reason: string | null;
      district_code: string | null;
    }>(
      sql`select application_id::text as application_id, kind, ours_status, theirs_status, theirs_reason, district_code from cs_reconciliation_item ${w}
        order by kind, application_id limit ${limit} offset ${offset}`,
    );
    return {
      items: rows.map((r) => ({
        applicationId: Number(r.application_id),
        kind: r.kind,
        kindTitle: MISMATCH_TITLE[r.kind as keyof typeof MISMATCH_TITLE],
        oursStatus: r.ours_status,
        theirsStatus: r.theirs_status,
        theirsReason: r.theirs_reason,
        districtCode: r.district_code,
      })),
      total: n,
    };
  },
});

export const syncRoutes = [syncStatusRoute, syncNowRoute, reconcileNowRoute, listReconciliationsRoute, reconciliationItemsRoute];
