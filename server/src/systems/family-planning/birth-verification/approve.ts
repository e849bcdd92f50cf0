import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { conflict, fieldError, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { enumOf, IdParams } from '../../../platform/http/schema.ts';
import { getPerson } from '../../common/resident-index/service.ts';
import { pushTask } from './cloud-push.ts';
import { type NewbornOutcome, registerNewborn } from './newborn.ts';
import { findChild, precheckTask } from './precheck-facts.ts';
import { blocking } from './precheck.ts';
import * as tasks from './task-repository.ts';
import { DECISION_TITLE, loadTask, taskView } from './tasks.ts';
import { Task } from './responses.ts';

/** Re-runs the checks on a pending task (e.g. after the population index was corrected). */
export const precheckRoute = defineRoute({
  method: 'POST',
  url: '/birth-verification/tasks/:id/precheck',
  summary: '重新预检核实任务',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.verify',
  params: IdParams,
  response: { 200: Task },
  handler: async (ctx, { params }) => {
    const t = await loadTask(ctx, params.id, true);
    if (t.child_person_id === null) {
      const child = await findChild(ctx.tx, t);
      if (child !== null) await tasks.setChild(ctx.tx, t.id, child);
      t.child_person_id = child;
    }
    t.precheck = await precheckTask(ctx.tx, t, todayInShanghai());
    await tasks.addEvent(ctx.tx, t, {
      action: 'precheck',
      fromStatus: t.status,
      toStatus: t.status,
      actor: ctx.principal.username,
      detail: { findings: t.precheck },
    });
    return taskView(t);
  },
});

const Corrections = Type.Object(
  {
    childName: Type.Optional(Type.String({ minLength: 2, maxLength: 20 })),
    childSex: Type.Optional(enumOf(['M', 'F'] as const)),
    birthDate: Type.Optional(Type.String({ format: 'date', maxLength: 10 })),
    claimedBirthOrder: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
    fatherName: Type.Optional(Type.String({ minLength: 2, maxLength: 20 })),
  },
  { additionalProperties: false },
);

export const ApproveBody = Type.Object(
  {
    decision: enumOf(['confirmed', 'corrected', 'invalid'] as const),
    corrections: Type.Optional(Corrections),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    /** Why the approval stands although the pre-check found blocking problems. */
    overrideReason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

/**
 * 审核: the street's decision on a pending task. The pre-check runs again first; an approval as 属实
 * with blocking findings needs an override reason. An approved birth with a linked child adds its
 * 市妇幼 birth record (what the 孩次 library and the childcare subsidy read); a newborn the population
 * index does not know yet is registered there first (newborn.ts), or marked 待落户后建档.
 */
export async function approveTask(ctx: ServiceContext, id: number, body: typeof ApproveBody.static, today = todayInShanghai()) {
  const t = await loadTask(ctx, id, true);
  if (t.status !== 'pending')
    throw conflict(
      `任务当前为“${t.status === 'assisting' ? '协查中' : '已办结'}”，只有待核实的任务可以审核${t.status === 'assisting' ? '（请先处理协查反馈）' : '（如需改判请发起重新核实）'}`,
    );
  const note = body.note?.trim() || null;
  const override = body.overrideReason?.trim() || null;
  if (body.decision === 'invalid' && !note) throw fieldError('note', '判定信息不实时请填写核实说明');
  const corrections = body.corrections ?? {};
  if (body.decision === 'corrected' && Object.keys(corrections).length === 0) throw fieldError('corrections', '修正后属实时请填写修正的字段');
  if (body.decision !== 'corrected' && Object.keys(corrections).length > 0) throw fieldError('corrections', '只有“修正后属实”可以提交修正字段');
  t.precheck = await precheckTask(ctx.tx, t, today);
  const blockers = blocking(t.precheck);
  if (body.decision !== 'invalid' && blockers.length > 0 && !override) {
    throw unprocessable(
      '预检发现需处理的问题，请核实后修正，或填写“仍判定属实的理由”',
      blockers.map((f) => ({ field: `precheck.${f.code}`, message: f.message })),
    );
  }
  let birthRecordId: number | null = null;
  let newborn: NewbornOutcome | null = null;
  if (body.decision !== 'invalid' && t.child_person_id === null) {
    // Registered since the last pre-check (e.g. an earlier round), else a newborn the index does not know yet.
    const known = await findChild(ctx.tx, t);
    if (known !== null) {
      await tasks.setChild(ctx.tx, t.id, known);
      t.child_person_id = known;
    } else {
      newborn = await registerNewborn(ctx, t, {
        childName: corrections.childName ?? t.child_name,
        childSex: corrections.childSex ?? t.child_sex,
        birthDate: corrections.birthDate ?? t.birth_date,
      });
      t.child_person_id = newborn.personId;
    }
  }
  if (body.decision !== 'invalid' && t.child_person_id !== null && t.mother_person_id !== null) {
    const child = await getPerson(ctx, t.child_person_id);
    const district = child?.hukouDistrict ?? t.district_code;
    const r = (
      await ctx.tx.query<{ id: number | null }>('select fp_record_verified_birth($1, $2, $3, $4) as id', [
        t.id,
        t.child_person_id,
        district,
        district === t.district_code ? t.street_code : null,
      ])
    )[0]!;
    birthRecordId = r.id === null ? null : Number(r.id);
  }
  const result = { corrections, findings: t.precheck, overrideReason: override, birthRecordId, newborn };
  const status = body.decision === 'invalid' ? 'rejected' : 'approved';
  const after = await tasks.setStatus(ctx.tx, t.id, { status, decision: body.decision, result, note, decidedBy: ctx.principal.username });
  await tasks.addEvent(ctx.tx, after, {
    action: status === 'approved' ? 'approve' : 'reject',
    fromStatus: t.status,
    toStatus: status,
    actor: ctx.principal.username,
    note: [DECISION_TITLE[body.decision], note, override ? `仍判定属实的理由：${override}` : null].filter(Boolean).join('；'),
    detail: result,
  });
  await pushTask(ctx.tx, after);
  ctx.audit.write({
    action: 'birth-verification.task.decide',
    objectType: 'fp_verify_task',
    objectId: t.id,
    districtCode: t.district_code,
    before: { status: t.status },
    after: { status, decision: body.decision, override: override !== null },
  });
  return taskView(after);
}

export const approveRoute = defineRoute({
  method: 'POST',
  url: '/birth-verification/tasks/:id/decision',
  summary: '审核核实任务（预检后判定属实、修正后属实或不实）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.verify',
  params: IdParams,
  body: ApproveBody,
  response: { 200: Task },
  handler: (ctx, { params, body }) => approveTask(ctx, params.id, body),
});

export const ReverifyBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });

/**
 * 重新核实: a decided task goes back to pending — the SAME task, never a new one — with a new round
 * number; the earlier decision stays in the history (the decision event keeps its details).
 */
export async function reverifyTask(ctx: ServiceContext, id: number, reason: string) {
  const t = await loadTask(ctx, id, true);
  if (t.status !== 'approved' && t.status !== 'rejected') throw conflict('只有已办结（核实通过或不通过）的任务可以重新核实');
  const why = reason.trim();
  if (!why) throw fieldError('reason', '请填写重新核实的原因');
  const after = await tasks.setStatus(ctx.tx, t.id, { status: 'pending', decision: null, result: null, note: null, decidedBy: null, newRound: true });
  await tasks.addEvent(ctx.tx, after, {
    action: 'reverify',
    fromStatus: t.status,
    toStatus: 'pending',
    actor: ctx.principal.username,
    note: why,
    detail: {
      previousDecision: t.decision,
      previousResult: t.result,
      previousNote: t.decision_note,
      previousDecidedBy: t.decided_by,
      previousDecidedAt: t.decided_at,
      previousRound: t.verify_round,
    },
  });
  await pushTask(ctx.tx, after);
  ctx.audit.write({
    action: 'birth-verification.task.reverify',
    objectType: 'fp_verify_task',
    objectId: t.id,
    districtCode: t.district_code,
    before: { status: t.status, decision: t.decision },
    after: { status: 'pending', round: after.verify_round },
  });
  return taskView(after);
}

export const reverifyRoute = defineRoute({
  method: 'POST',
  url: '/birth-verification/tasks/:id/reverify',
  summary: '重新核实：原任务退回待核实（不新建任务），保留全部历史',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.reverify',
  params: IdParams,
  body: ReverifyBody,
  response: { 200: Task },
  handler: (ctx, { params, body }) => reverifyTask(ctx, params.id, body.reason),
});
