import { Type } from '@sinclair/typebox';
import { conflict, notFound } from '../../../platform/http/errors.ts';
import { one, sql, where } from '../../../platform/db/index.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, Id, pageOf, Paging } from '../../../platform/http/schema.ts';
import { REVIEW_REASON_TITLE, type ReviewReason } from './approval.ts';
import { STATUS_TITLE } from './confirm.ts';
import { actorOf } from './screen.ts';
import { NATIONAL_STATUS_TITLE, NATIONAL_STATUSES, type NationalStatus } from './sync.ts';
import { Application, ApplicationPage } from './responses.ts';

/** 申领列表 and 人工审核: the applications inside the caller's scope, by status; approve or reject with a reason. */
const tags = ['计划生育'];
export const APPLICATION_STATUSES = ['sms_sent', 'manual_review', 'approved', 'rejected'] as const;

interface Row {
  id: string;
  district_code: string | null;
  child_name_mask: string;
  birth_order: number | null;
  amount_yuan: number;
  bank_account_mask: string | null;
  status: string;
  review_reasons: string[];
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  confirmed_at: Date | null;
  token_expires_at: Date;
  created_at: Date;
  national_status: string | null;
  national_reason: string | null;
  national_id: string | null;
  sync_queued_at: Date | null;
}

const view = (r: Row) => ({
  id: Number(r.id),
  districtCode: r.district_code,
  childNameMasked: r.child_name_mask,
  birthOrder: r.birth_order,
  amountYuan: r.amount_yuan,
  bankAccountMasked: r.bank_account_mask,
  status: r.status,
  statusTitle: STATUS_TITLE[r.status] ?? r.status,
  reviewReasons: r.review_reasons.map((x) => REVIEW_REASON_TITLE[x as ReviewReason] ?? x),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  decisionNote: r.decision_note,
  confirmedAt: r.confirmed_at,
  linkExpiresAt: r.token_expires_at,
  createdAt: r.created_at,
  syncQueuedAt: r.sync_queued_at,
  nationalStatus: r.national_status,
  nationalStatusTitle: r.national_status ? NATIONAL_STATUS_TITLE[r.national_status as NationalStatus] : r.sync_queued_at ? '已上传，待反馈' : null,
  nationalReason: r.national_reason,
  nationalId: r.national_id,
});

export const listApplicationsRoute = defineRoute({
  method: 'GET',
  url: '/childcare-subsidy/applications',
  summary: '育儿补贴申领列表（按状态；脱敏，数据权限内）',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.read',
  querystring: Type.Object(
    {
      status: Type.Optional(enumOf(APPLICATION_STATUSES)),
      national: Type.Optional(enumOf([...NATIONAL_STATUSES, 'pending'] as const, { description: '国家系统状态（pending：已上传待反馈）' })),
      ...Paging,
    },
    { additionalProperties: false },
  ),
  response: { 200: ApplicationPage },
  handler: async (ctx, { query }) => {
    const { limit, offset } = pageOf(query);
    const w = where([
      query.status && sql`status = ${query.status}`,
      query.national === 'pending' ? sql`sync_queued_at is not null and national_status is null` : query.national && sql`national_status = ${query.national}`,
    ]);
    const rows = await ctx.tx.query<Row>(
      sql`select *, id::text as id from cs_application ${w} order by cs_application.id desc limit ${limit} offset ${offset}`,
    );
    const counts = await ctx.tx.query<{ status: string; n: number }>('select status, count(*)::int as n from cs_application group by status');
    const byStatus = Object.fromEntries(APPLICATION_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?.n ?? 0]));
    const total = query.national
      ? (await one<{ n: number }>(ctx.tx, sql`select count(*)::int as n from cs_application ${w}`)).n
      : query.status
        ? (byStatus[query.status] ?? 0)
        : counts.reduce((a, c) => a + c.n, 0);
    return { items: rows.map(view), total, byStatus, statusTitles: STATUS_TITLE };
  },
});

export const ReviewBody = Type.Object(
  {
    decision: enumOf(['approve', 'reject'] as const, { description: '审核结论' }),
    reason: Type.String({ minLength: 1, maxLength: 200, description: '审核意见' }),
  },
  { additionalProperties: false },
);

export const reviewApplicationRoute = defineRoute({
  method: 'POST',
  url: '/childcare-subsidy/applications/:id/review',
  summary: '人工审核育儿补贴申领（通过或驳回，须填写意见）',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.review',
  params: Type.Object({ id: Id }, { additionalProperties: false }),
  body: ReviewBody,
  response: { 200: Application },
  handler: async (ctx, { params, body }) => {
    const [a] = await ctx.tx.query<Row>('select *, id::text as id from cs_application where id = $1 for update', [params.id]);
    if (!a) throw notFound('申领记录不存在或不在您的数据权限范围内');
    if (a.status !== 'manual_review') throw conflict(`该申领当前状态为“${STATUS_TITLE[a.status] ?? a.status}”，仅人工审核中的申领可审核`);
    const status = body.decision === 'approve' ? 'approved' : 'rejected';
    // Locked above, so the row is there.
    const r = await one<Row>(
      ctx.tx,
      sql`update cs_application set status = ${status}, decided_by = ${actorOf(ctx.principal)}, decided_at = now(), decision_note = ${body.reason.trim()}, updated_at = now()
           where id = ${params.id} returning *, id::text as id`,
    );
    ctx.audit.write({
      action: 'childcare-subsidy.application.review',
      objectType: 'cs_application',
      objectId: params.id,
      districtCode: a.district_code,
      before: { status: a.status },
      after: { status, reason: body.reason.trim() },
    });
    return view(r);
  },
});
