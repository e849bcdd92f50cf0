import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { conflict, fieldError, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { maskName } from '../../../platform/util/resident-id.ts';
import { enumOf, IdParams } from '../../../platform/http/schema.ts';
import { StreetCode } from '../../common/master-data/schema.ts';
import { pushTask } from './cloud-push.ts';
import * as tasks from './task-repository.ts';
import { assistView, loadTask, REPLY_TITLE, streetNames } from './tasks.ts';
import { Assist, AssistList } from './responses.ts';

/**
 * 协查: a street asks another street to check a birth (the family may live there). The asked street sees
 * the request and a snapshot of what to check, never the task itself; it replies with a result; the
 * asking street accepts the reply (the task returns to pending, ready for its decision) or returns it
 * with the reason (the asked street checks again, next round).
 */
type Ctx = ServiceContext;

export const AssistBody = Type.Object({ toStreetCode: StreetCode, question: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });

export async function requestAssist(ctx: Ctx, taskId: number, body: { toStreetCode: string; question: string }) {
  const t = await loadTask(ctx, taskId, true);
  if (t.status !== 'pending') throw conflict('只有待核实的任务可以发起协查');
  const question = body.question.trim();
  if (!question) throw fieldError('question', '请填写需要协查的内容');
  if (body.toStreetCode === t.street_code) throw fieldError('toStreetCode', '不能向本街道发起协查');
  const to = await tasks.streetOf(ctx.tx, body.toStreetCode);
  if (!to) throw fieldError('toStreetCode', '街道（乡镇）代码不存在');
  const snapshot = {
    taskNo: `BV${String(t.id).padStart(8, '0')}`,
    childName: t.child_name,
    childSex: t.child_sex,
    birthDate: t.birth_date,
    motherName: t.mother_name,
    motherIdMasked: t.mother_id_mask,
    fatherNameMasked: t.father_name ? maskName(t.father_name) : null,
    address: t.address,
  };
  const a = (
    await ctx.tx.query<Record<string, unknown>>(
      `insert into fp_assist_request (task_id, from_district, from_street, from_institution_id, to_district, to_street, to_institution_id, question, snapshot, requested_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) returning *`,
      [
        t.id,
        t.district_code,
        t.street_code,
        t.institution_id,
        to.districtCode,
        to.streetCode,
        to.institutionId,
        question,
        JSON.stringify(snapshot),
        ctx.principal.username,
      ],
    )
  )[0]!;
  const after = await tasks.setStatus(ctx.tx, t.id, { status: 'assisting' });
  await tasks.addEvent(ctx.tx, after, {
    action: 'assist_request',
    fromStatus: t.status,
    toStatus: 'assisting',
    actor: ctx.principal.username,
    note: `向${to.name}发起协查：${question}`,
    detail: { assistId: Number(a.id), toStreet: to.streetCode },
  });
  await pushTask(ctx.tx, after);
  ctx.audit.write({
    action: 'birth-verification.assist.request',
    objectType: 'fp_assist_request',
    objectId: Number(a.id),
    districtCode: t.district_code,
    after: { taskId: t.id, toStreet: to.streetCode },
  });
  return assistView(a, await streetNames(ctx, [t.street_code, to.streetCode]));
}

export const requestAssistRoute = defineRoute({
  method: 'POST',
  url: '/birth-verification/tasks/:id/assists',
  summary: '向其他街道发起协查',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.verify',
  params: IdParams,
  body: AssistBody,
  successStatus: 201,
  response: { 201: Assist },
  handler: (ctx, { params, body }) => requestAssist(ctx, params.id, body),
});

const AssistQuery = Type.Object(
  {
    box: Type.Optional(enumOf(['incoming', 'outgoing'] as const)),
    status: Type.Optional(enumOf(['requested', 'replied', 'accepted', 'closed'] as const)),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

const SIDE = {
  incoming: 'wj_scope_ok(to_district, to_street, to_institution_id, null, null)',
  outgoing: 'wj_scope_ok(from_district, from_street, from_institution_id, null, null)',
};

export const listAssistsRoute = defineRoute({
  method: 'GET',
  url: '/birth-verification/assists',
  summary: '协查请求（收到的 / 发出的）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.read',
  querystring: AssistQuery,
  response: { 200: AssistList },
  handler: async (ctx, { query }) => {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const rows = await ctx.tx.query<Record<string, unknown>>(
      `select *, count(*) over () as total from fp_assist_request where ${SIDE[query.box ?? 'incoming']} and ($1::text is null or status = $1)
        order by (status in ('requested', 'replied')) desc, id desc limit $2 offset $3`,
      [query.status ?? null, pageSize, (page - 1) * pageSize],
    );
    const names = await streetNames(
      ctx,
      rows.flatMap((r) => [r.from_street as string, r.to_street as string]),
    );
    ctx.audit.read({ action: 'birth-verification.assists.list', objectType: 'fp_assist_request', note: `协查请求列表，返回 ${rows.length} 条` });
    return { items: rows.map((r) => assistView(r, names)), total: Number(rows[0]?.total ?? 0), page, pageSize };
  },
});

async function loadAssist(ctx: Ctx, id: number, side: keyof typeof SIDE) {
  const [a] = await ctx.tx.query<Record<string, unknown>>(`select * from fp_assist_request where id = $1 and ${SIDE[side]} for update`, [id]);
  if (!a) throw notFound('协查请求不存在或不在您的数据权限范围内');
  return a;
}

export const ReplyBody = Type.Object(
  { result: enumOf(Object.keys(REPLY_TITLE) as ['confirmed', 'not_found', 'moved', 'other']), note: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

/** The asked street's reply. */
export async function replyAssist(ctx: Ctx, id: number, body: { result: string; note: string }) {
  const a = await loadAssist(ctx, id, 'incoming');
  if (a.status !== 'requested') throw conflict('该协查已反馈或已办结');
  const note = body.note.trim();
  if (!note) throw fieldError('note', '请填写协查情况');
  const after = (
    await ctx.tx.query<Record<string, unknown>>(
      `update fp_assist_request set status = 'replied', reply_result = $2, reply_note = $3, replied_by = $4, replied_at = now(), updated_at = now() where id = $1 returning *`,
      [id, body.result, note, ctx.principal.username],
    )
  )[0]!;
  ctx.audit.write({
    action: 'birth-verification.assist.reply',
    objectType: 'fp_assist_request',
    objectId: id,
    districtCode: a.to_district as string,
    after: { result: body.result },
  });
  return assistView(after, await streetNames(ctx, [a.from_street as string, a.to_street as string]));
}

export const replyAssistRoute = defineRoute({
  method: 'POST',
  url: '/birth-verification/assists/:id/reply',
  summary: '反馈协查结果（被协查街道）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.verify',
  params: IdParams,
  body: ReplyBody,
  response: { 200: Assist },
  handler: (ctx, { params, body }) => replyAssist(ctx, params.id, body),
});

export const HandleBody = Type.Object(
  { action: enumOf(['accept', 'return'] as const), note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

/** The asking street handles the reply: accept (task back to pending) or return it with the reason. */
export async function handleAssist(ctx: Ctx, id: number, body: { action: 'accept' | 'return'; note?: string }) {
  const a = await loadAssist(ctx, id, 'outgoing');
  if (a.status !== 'replied') throw conflict('只有已反馈的协查可以采纳或退回');
  const note = body.note?.trim() || null;
  if (body.action === 'return' && !note) throw fieldError('note', '退回协查反馈时请说明原因');
  const t = await loadTask(ctx, Number(a.task_id), true);
  let after: Record<string, unknown>;
  if (body.action === 'accept') {
    after = (
      await ctx.tx.query(
        `update fp_assist_request set status = 'accepted', handled_note = $2, handled_by = $3, handled_at = now(), updated_at = now() where id = $1 returning *`,
        [id, note, ctx.principal.username],
      )
    )[0]!; // locked by loadAssist above
    const task = await tasks.setStatus(ctx.tx, t.id, { status: 'pending' });
    await tasks.addEvent(ctx.tx, task, {
      action: 'assist_accept',
      fromStatus: t.status,
      toStatus: 'pending',
      actor: ctx.principal.username,
      note: `采纳协查反馈：${REPLY_TITLE[a.reply_result as string] ?? a.reply_result}；${a.reply_note}${note ? `（${note}）` : ''}`,
      detail: { assistId: id, result: a.reply_result, replyNote: a.reply_note, repliedBy: a.replied_by, round: a.round },
    });
    await pushTask(ctx.tx, task);
  } else {
    after = (
      await ctx.tx.query(
        `update fp_assist_request set status = 'requested', round = round + 1, handled_note = $2, handled_by = $3, handled_at = now(),
         reply_result = null, reply_note = null, replied_by = null, replied_at = null, updated_at = now() where id = $1 returning *`,
        [id, note, ctx.principal.username],
      )
    )[0]!;
    await tasks.addEvent(ctx.tx, t, {
      action: 'assist_return',
      fromStatus: t.status,
      toStatus: t.status,
      actor: ctx.principal.username,
      note: `退回协查反馈，请重新协查：${note}`,
      detail: { assistId: id, returnedResult: a.reply_result, returnedNote: a.reply_note, repliedBy: a.replied_by, round: a.round },
    });
  }
  ctx.audit.write({
    action: `birth-verification.assist.${body.action}`,
    objectType: 'fp_assist_request',
    objectId: id,
    districtCode: a.from_district as string,
    after: { status: after.status },
  });
  return assistView(after, await streetNames(ctx, [a.from_street as string, a.to_street as string]));
}

export const handleAssistRoute = defineRoute({
  method: 'POST',
  url: '/birth-verification/assists/:id/handle',
  summary: '处理协查反馈：采纳或退回（发起街道）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.verify',
  params: IdParams,
  body: HandleBody,
  response: { 200: Assist },
  handler: (ctx, { params, body }) => handleAssist(ctx, params.id, body),
});
