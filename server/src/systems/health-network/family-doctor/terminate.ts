import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { IdParams } from '../../../platform/http/schema.ts';
import { assignCare, getPerson } from '../../common/resident-index/service.ts';
import { type ContractRow, contractById, insertEvent, loadPolicy, updateContract } from './repository.ts';
import { pushToCombination } from './combination-push.ts';
import { INITIATOR_NAMES } from './rules.ts';
import {
  assertStaysInScope,
  auditView,
  type ContractDto,
  Initiator,
  Names,
  NOT_FOUND,
  operator,
  Reason,
  requireInformed,
  ResidentInformed,
  today,
  toDto,
} from './shapes.ts';
import { Contract } from './responses.ts';

export const TerminateBody = Type.Object({ initiator: Initiator, reason: Reason, residentInformed: ResidentInformed }, { additionalProperties: false });
export type TerminateInput = typeof TerminateBody.static;

/**
 * 解约: records the initiator (resident / doctor / system) and the reason; the resident's family doctor and
 * team are cleared in the resident index. The doctor confirms the resident was told first.
 */
export async function terminateContract(ctx: ServiceContext, id: number, b: TerminateInput): Promise<ContractDto> {
  const on = today();
  const policy = await loadPolicy(ctx.tx);
  const c = await contractById(ctx.tx, id, true);
  if (!c) throw notFound(NOT_FOUND);
  if (c.status !== 'active') throw unprocessable('该签约已解约');
  requireInformed(b.residentInformed);
  // Clearing the care assignment must leave the resident visible to the caller (row-level security on person).
  assertStaysInScope(ctx, { district: c.district_code, street: c.street_code, institution: c.institution_id, team: null, doctor: null });

  const row = (await updateContract(ctx.tx, c.id, {
    status: 'terminated',
    terminated_on: on,
    termination_initiator: b.initiator,
    termination_reason: b.reason,
    ...operator(ctx),
  })) as ContractRow;
  await insertEvent(ctx.tx, row, {
    kind: 'terminate',
    initiator: b.initiator,
    reason: b.reason,
    before: auditView(c),
    after: auditView(row),
    on_date: on,
    detail: { residentInformed: true },
    ...operator(ctx),
  });
  await assignCare(ctx, c.person_id, { teamId: null, doctorId: null });
  await pushToCombination(ctx, row, 'terminate');
  ctx.audit.write({
    action: 'family-doctor.terminate',
    objectType: 'fd_contract',
    objectId: c.id,
    before: auditView(c),
    after: auditView(row),
    note: `${INITIATOR_NAMES[b.initiator]}发起`,
  });
  return toDto(row, await getPerson(ctx, row.person_id), new Names(ctx), on, policy);
}

export const terminateRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/contracts/:id/terminate',
  summary: '解约',
  description: '记录发起方（居民 / 医生 / 系统）和原因；须确认已告知居民。',
  auth: 'staff',
  permission: 'family-doctor.terminate',
  params: IdParams,
  body: TerminateBody,
  response: { 200: Contract },
  handler: (ctx, { params, body }) => terminateContract(ctx, params.id, body),
});
