import { notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { IdParams } from '../../../platform/http/schema.ts';
import { personById } from './repository.ts';
import { type MaskedResident, type ResidentCtx, toMasked } from './shapes.ts';
import { Resident } from './responses.ts';

/** One resident, masked; recorded as a read of that person (who looked, when, from where). */
export async function viewResident(ctx: ResidentCtx, id: number): Promise<MaskedResident> {
  const row = await personById(ctx.tx, id);
  if (!row) throw notFound('居民不存在或不在您的数据权限范围内');
  ctx.audit.read({ action: 'resident.view', objectType: 'person', objectId: id });
  return toMasked(row);
}

export const viewRoute = defineRoute({
  method: 'GET',
  url: '/residents/:id',
  summary: '居民详情（脱敏）',
  auth: 'staff',
  permission: 'resident-index.read',
  params: IdParams,
  response: { 200: Resident },
  handler: (ctx, { params }) => viewResident(ctx, params.id),
});
