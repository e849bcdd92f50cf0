import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, IdParams } from '../../../platform/http/schema.ts';
import * as repo from './disposal-repository.ts';
import { getDisposal } from './disposal-read.ts';
import { type DisposalAction, EVALUATION_RESULTS, EVALUATION_TITLE, type EvaluationResult, STEP, transition } from './disposal-state.ts';
import { DisposalDetail } from './responses.ts';

export const DispatchBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export const ExplainBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 5000 }),
    attachments: Type.Optional(
      Type.Array(
        Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 200 }), url: Type.Optional(Type.String({ maxLength: 500, pattern: '^(https?://|/)' })) },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
  },
  { additionalProperties: false },
);
export const EvaluateBody = Type.Object(
  { content: Type.String({ minLength: 1, maxLength: 5000 }), result: enumOf(EVALUATION_RESULTS) },
  { additionalProperties: false },
);
export const CloseBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });

type StepInput = { explanation?: string; attachments?: { name: string; url?: string }[]; evaluation?: string; result?: EvaluationResult; note?: string | null };

/** One step of the loop: locks the order, lets the state machine judge it, records the step, the timeline and the audit. */
export async function step(ctx: ServiceContext, id: number, action: DisposalAction, v: StepInput) {
  const o = await repo.findDisposal(ctx.tx, id, true);
  if (!o) throw notFound('处置单不存在或不在您的数据权限范围内');
  const to = transition(o.status, action);
  await repo.applyStep(ctx.tx, id, action, to, ctx.principal.username, v);
  const note = action === 'explain' ? v.explanation! : action === 'evaluate' ? `${EVALUATION_TITLE[v.result!]}：${v.evaluation}` : v.note?.trim() || null;
  await repo.insertEvent(ctx.tx, {
    disposalId: id,
    institutionId: o.institutionId,
    districtCode: o.districtCode,
    action,
    from: o.status,
    to,
    actor: ctx.principal.username,
    actorName: ctx.principal.displayName,
    actorRole: ctx.principal.role,
    note,
  });
  const after: Record<string, unknown> = { status: to };
  if (action === 'explain') Object.assign(after, { explanation: v.explanation, attachments: v.attachments ?? [] });
  if (action === 'evaluate') Object.assign(after, { evaluation: v.evaluation, result: v.result });
  if (action === 'close' || action === 'dispatch') after.note = v.note ?? null;
  ctx.audit.write({ action: `compliance.disposal.${action}`, objectType: 'cm_disposal', objectId: id, before: { status: o.status }, after });
  return getDisposal(ctx, id);
}

export const dispatchDisposalRoute = defineRoute({
  method: 'POST',
  url: '/compliance/disposals/:id/dispatch',
  summary: '下发处置单到机构',
  auth: 'staff',
  permission: STEP.dispatch.permission,
  params: IdParams,
  body: DispatchBody,
  response: { 200: DisposalDetail },
  handler: (ctx, { params, body }) => step(ctx, params.id, 'dispatch', { note: body?.note }),
});

export const explainDisposalRoute = defineRoute({
  method: 'POST',
  url: '/compliance/disposals/:id/explain',
  summary: '医院填写处置说明（文字与附件）',
  auth: 'staff',
  permission: STEP.explain.permission,
  params: IdParams,
  body: ExplainBody,
  response: { 200: DisposalDetail },
  handler: (ctx, { params, body }) => step(ctx, params.id, 'explain', { explanation: body.text.trim(), attachments: body.attachments ?? [] }),
});

export const evaluateDisposalRoute = defineRoute({
  method: 'POST',
  url: '/compliance/disposals/:id/evaluate',
  summary: '专家评价处置说明（合理/不合理/部分合理）',
  auth: 'staff',
  permission: STEP.evaluate.permission,
  params: IdParams,
  body: EvaluateBody,
  response: { 200: DisposalDetail },
  handler: (ctx, { params, body }) => step(ctx, params.id, 'evaluate', { evaluation: body.content.trim(), result: body.result }),
});

export const closeDisposalRoute = defineRoute({
  method: 'POST',
  url: '/compliance/disposals/:id/close',
  summary: '审核并归档处置单',
  auth: 'staff',
  permission: STEP.close.permission,
  params: IdParams,
  body: CloseBody,
  response: { 200: DisposalDetail },
  handler: (ctx, { params, body }) => step(ctx, params.id, 'close', { note: body?.note }),
});
