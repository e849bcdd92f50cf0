import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf } from '../../../platform/http/schema.ts';
import * as tasks from './task-repository.ts';
import { loadTask } from './tasks.ts';
import { CloudFeedbackAck } from './responses.ts';

/**
 * 社区云 → us: a street worker's field note on a task (入户走访), posted by 社区云 as a signed partner
 * request under its API key's scope. It joins the task's history and changes nothing else: the street
 * still decides in the console. 社区云 may send the same note again (at least once): `feedbackId`
 * makes the receiver idempotent.
 */
export const CloudFeedbackParams = Type.Object(
  { taskNo: Type.String({ pattern: '^BV\\d{8}$', maxLength: 10, examples: ['BV00000001'] }) },
  { additionalProperties: false },
);
export const CloudFeedbackBody = Type.Object(
  {
    feedbackId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' }),
    visitResult: enumOf(['met_family', 'not_home', 'moved', 'other'] as const),
    note: Type.String({ minLength: 1, maxLength: 500 }),
    worker: Type.String({ minLength: 1, maxLength: 40 }),
    visitedOn: Type.String({ format: 'date', maxLength: 10 }),
  },
  { additionalProperties: false },
);

const VISIT_TITLE = { met_family: '入户见到家庭成员', not_home: '家中无人', moved: '已搬离', other: '其他' } as const;

export const cloudFeedbackRoute = defineRoute({
  method: 'POST',
  url: '/partner/birth-verification/tasks/:taskNo/feedback',
  summary: '社区云回传入户走访情况（合作系统）',
  tags: ['合作系统接入'],
  auth: 'partner',
  permission: 'birth-verification.cloud-feedback',
  params: CloudFeedbackParams,
  body: CloudFeedbackBody,
  response: { 200: CloudFeedbackAck },
  handler: async (ctx, { params, body }) => {
    const t = await loadTask(ctx, Number(params.taskNo.slice(2)), true);
    const [seen] = await ctx.tx.query<{ id: number }>(
      `select id from fp_verify_task_event where task_id = $1 and action = 'cloud_feedback' and detail ->> 'feedbackId' = $2`,
      [t.id, body.feedbackId],
    );
    if (seen) return { taskNo: params.taskNo, duplicate: true };
    await tasks.addEvent(ctx.tx, t, {
      action: 'cloud_feedback',
      fromStatus: t.status,
      toStatus: t.status,
      actor: `社区云:${body.worker}`,
      note: `社区云回传（${body.visitedOn}）：${VISIT_TITLE[body.visitResult]}；${body.note.trim()}`,
      detail: body,
    });
    ctx.audit.write({
      action: 'birth-verification.cloud-feedback',
      objectType: 'fp_verify_task',
      objectId: t.id,
      districtCode: t.district_code,
      after: { feedbackId: body.feedbackId, visitResult: body.visitResult },
    });
    return { taskNo: params.taskNo, duplicate: false };
  },
});
