import { Type } from '@sinclair/typebox';
import { notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { IdParams } from '../../../platform/http/schema.ts';
import { personById } from './repository.ts';
import { type ResidentCtx, type RevealedResident, toRevealed } from './shapes.ts';
import { RevealedResident as RevealedResidentSchema } from './responses.ts';

const RevealBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }) }, { additionalProperties: false });

/** 调阅: the plaintext identity number, phone and address, with the stated reason in the audit log. */
export async function revealResident(ctx: ResidentCtx, id: number, reason: string): Promise<RevealedResident> {
  const row = await personById(ctx.tx, id);
  if (!row) throw notFound('居民不存在或不在您的数据权限范围内');
  ctx.audit.read({ action: 'resident.reveal', objectType: 'person', objectId: id, note: reason.trim() });
  return toRevealed(ctx.kernel.keys, row);
}

export const revealRoute = defineRoute({
  method: 'POST',
  url: '/residents/:id/reveal',
  summary: '调阅居民完整信息（须填写事由，记入审计）',
  auth: 'staff',
  permission: 'resident-index.reveal',
  params: IdParams,
  body: RevealBody,
  response: { 200: RevealedResidentSchema },
  handler: (ctx, { params, body }) => revealResident(ctx, params.id, body.reason),
});
