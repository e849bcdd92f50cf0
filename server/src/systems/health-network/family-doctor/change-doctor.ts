import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { applyCard, CardFields } from './insurance-card.ts';
import { Id, IdParams } from '../../../platform/http/schema.ts';
import { assignCare, getPerson, withSigningAccess } from '../../common/resident-index/service.ts';
import { generateAgreement } from './agreement.ts';
import { pushToCombination } from './combination-push.ts';
import { type ContractRow, contractById, insertContract, insertEvent, loadPolicy, updateContract } from './repository.ts';
import { canChangeDoctor, cycleEnd, INITIATOR_NAMES, type Policy, statusColour } from './rules.ts';
import {
  assertStaysInScope,
  auditView,
  Channel,
  checkCombination,
  Combination,
  type ContractDto,
  history,
  Initiator,
  invalid,
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

export const ChangeDoctorBody = Type.Object(
  {
    ...Combination,
    channel: Channel,
    initiator: Initiator,
    reason: Reason,
    residentInformed: ResidentInformed,
    personId: Type.Optional(Id),
    ...CardFields,
  },
  { additionalProperties: false },
);
export type ChangeDoctorInput = typeof ChangeDoctorBody.static;

export const CHANGE_TAGS = { offline: '线下变更签约', online: '线上变更签约' } as const;

/** An active contract, locked, still in force (green or yellow); otherwise 404 or 422. */
export async function liveContract(ctx: ServiceContext, id: number, on: string, policy: Policy): Promise<ContractRow> {
  const c = await contractById(ctx.tx, id, true);
  if (!c) throw notFound(NOT_FOUND);
  if (c.status !== 'active') throw unprocessable('该签约已解约，不能办理');
  if (statusColour(c.cycle_end, on, policy) === 'red') throw unprocessable(`签约已到期超过 ${policy.yellowAfterDays} 天（红色），请重新签约`);
  return c;
}

/**
 * 跨社区更换家庭医生 (at most once per change-sign year). Offline the new doctor signs directly: the old
 * contract is terminated (initiator and reason recorded) and the new one begins; both carry the tag.
 */
export async function changeDoctor(ctx: ServiceContext, id: number, b: ChangeDoctorInput): Promise<ContractDto> {
  // The receiving centre does not see a contract managed elsewhere: after a 签约查找 of its resident it may.
  if (b.personId !== undefined && !(await contractById(ctx.tx, id))) {
    return withSigningAccess(ctx, b.personId, async (p) => {
      const c = await contractById(ctx.tx, id);
      if (!c || c.person_id !== p.id) throw notFound(NOT_FOUND);
      return changeDoctorFor(ctx, id, b);
    });
  }
  return changeDoctorFor(ctx, id, b);
}

async function changeDoctorFor(ctx: ServiceContext, id: number, b: ChangeDoctorInput): Promise<ContractDto> {
  const on = today();
  const policy = await loadPolicy(ctx.tx);
  const old = await liveContract(ctx, id, on, policy);
  const errors = await checkCombination(ctx, b);
  if (errors.length) throw invalid(errors);
  const decision = canChangeDoctor(history(old), on, b.institutionId === old.institution_id, policy);
  if (!decision.allowed) throw unprocessable(decision.reason as string, [{ field: 'institutionId', message: decision.reason as string }]);
  requireInformed(b.residentInformed);
  assertStaysInScope(ctx, { district: old.district_code, street: old.street_code, institution: b.institutionId, team: b.teamId, doctor: b.doctorId });
  await applyCard(ctx, old.person_id, b);

  const tag = CHANGE_TAGS[b.channel];
  const ended = (await updateContract(ctx.tx, old.id, {
    status: 'terminated',
    terminated_on: on,
    termination_initiator: b.initiator,
    termination_reason: `更换家庭医生：${b.reason}`,
    tags: [...new Set([...old.tags, tag])],
  })) as ContractRow;
  await insertEvent(ctx.tx, ended, {
    kind: 'terminate',
    initiator: b.initiator,
    reason: ended.termination_reason,
    channel: b.channel,
    tags: [tag],
    before: auditView(old),
    after: auditView(ended),
    on_date: on,
    ...operator(ctx),
  });
  const row = await insertContract(ctx.tx, {
    person_id: old.person_id,
    institution_id: b.institutionId,
    team_id: b.teamId,
    doctor_id: b.doctorId,
    district_hospital_id: b.districtHospitalId ?? null,
    city_hospital_id: b.cityHospitalId ?? null,
    district_code: old.district_code,
    street_code: old.street_code,
    signed_on: on,
    cycle_start: on,
    cycle_end: cycleEnd(on, 1),
    cycle_years: 1,
    doctor_since: on,
    doctor_changes: [...old.doctor_changes, on],
    hospital_changes: old.hospital_changes,
    channel: b.channel,
    tags: [tag],
    previous_id: old.id,
    emergency_contacts: old.emergency_contacts,
    emergency_contacts_enc: old.emergency_contacts_enc,
    ...operator(ctx),
  });
  await insertEvent(ctx.tx, row, {
    kind: 'change_doctor',
    initiator: b.initiator,
    reason: b.reason,
    channel: b.channel,
    tags: [tag],
    before: auditView(old),
    after: auditView(row),
    on_date: on,
    detail: { residentInformed: true, chancesBefore: decision.chances, initiatorName: INITIATOR_NAMES[b.initiator] },
    ...operator(ctx),
  });
  await assignCare(ctx, row.person_id, { teamId: row.team_id, doctorId: row.doctor_id, managingInstitutionId: row.institution_id });
  await generateAgreement(ctx, row, 'sign');
  await pushToCombination(ctx, ended, 'terminate');
  await pushToCombination(ctx, row, 'sign');
  ctx.audit.write({
    action: 'family-doctor.change-doctor',
    objectType: 'fd_contract',
    objectId: row.id,
    before: auditView(old),
    after: auditView(row),
    note: `原签约 ${old.id} 解约（${INITIATOR_NAMES[b.initiator]}发起）`,
  });
  return toDto(row, await getPerson(ctx, row.person_id), new Names(ctx), on, policy);
}

export const changeDoctorRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/contracts/:id/change-doctor',
  summary: '跨社区更换家庭医生',
  description: '变更签约年内限 1 次（可配置）。原签约记为解约（发起方、原因），新签约生效，两者均打标签。须确认已告知居民时限和剩余次数。',
  auth: 'staff',
  permission: 'family-doctor.sign',
  params: IdParams,
  body: ChangeDoctorBody,
  successStatus: 201,
  response: { 201: Contract },
  handler: (ctx, { params, body }) => changeDoctor(ctx, params.id, body),
});
