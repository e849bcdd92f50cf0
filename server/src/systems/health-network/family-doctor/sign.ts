import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { Id } from '../../../platform/http/schema.ts';
import { assignCare, getPerson, type PersonView, updateResident, withSigningAccess } from '../../common/resident-index/service.ts';
import { generateAgreement } from './agreement.ts';
import { pushToCombination } from './combination-push.ts';
import { sealContacts } from './contacts.ts';
import { CardNo, checkCard, InsuredPlace } from './insurance-card.ts';
import { activeContractOfPerson, type ContractRow, insertContract, insertEvent, loadPolicy, updateContract } from './repository.ts';
import { canSign, cycleEnd, statusColour } from './rules.ts';
import { assertStaysInScope, auditView, Channel, checkCombination, Combination, EmergencyContacts, invalid, Names, operator, today, toDto } from './shapes.ts';
import { SignResult } from './responses.ts';

export type { SignResult };

export const SignBody = Type.Object(
  {
    personId: Id,
    ...Combination,
    channel: Channel,
    emergencyContacts: Type.Optional(EmergencyContacts),
    insuredPlace: Type.Optional(InsuredPlace),
    insuranceCardNo: Type.Optional(CardNo),
  },
  { additionalProperties: false },
);
export type SignInput = typeof SignBody.static;

/** How a signing departs from the plain rule: a special case (特殊原因新签) or an authorization code (授权码签约). */
export interface SignOverride {
  /** Tag on the new contract and its event. */
  tag: string;
  /** Why an existing green or yellow contract is ended first (the plain rule refuses then). */
  endReason: string;
  initiator: 'resident' | 'system';
  detail: Record<string, unknown>;
}

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

export function contactProblems(contacts: SignInput['emergencyContacts']) {
  return (contacts ?? []).flatMap((c, i) => (PHONE.test(c.phone) ? [] : [{ field: `emergencyContacts.${i}.phone`, message: '紧急联系人电话格式不正确' }]));
}

/**
 * Ends a lapsed (red) contract before its resident signs anew: the system terminates it, recorded like any
 * termination. Returns null when there is nothing to end.
 */
export async function endLapsed(ctx: ServiceContext, c: ContractRow, on: string, reason: string): Promise<ContractRow> {
  const after = (await updateContract(ctx.tx, c.id, {
    status: 'terminated',
    terminated_on: on,
    termination_initiator: 'system',
    termination_reason: reason,
  })) as ContractRow;
  await insertEvent(ctx.tx, after, {
    kind: 'terminate',
    initiator: 'system',
    reason,
    before: auditView(c),
    after: auditView(after),
    on_date: on,
    ...operator(ctx),
  });
  ctx.audit.write({
    action: 'family-doctor.terminate',
    objectType: 'fd_contract',
    objectId: c.id,
    before: auditView(c),
    after: auditView(after),
    note: reason,
  });
  return after;
}

/**
 * 新签: a resident without a green or yellow contract signs a combination for one year. A red resident is a
 * free person: the lapsed contract is closed by the system and the new one begins.
 */
export async function signContract(ctx: ServiceContext, b: SignInput, override?: SignOverride): Promise<SignResult> {
  const visible = await getPerson(ctx, b.personId);
  // Not yet in the caller's scope (e.g. an unsigned resident of the doctor's centre): only after a 签约查找.
  if (!visible) return withSigningAccess(ctx, b.personId, (p) => signFor(ctx, p, b, override));
  return signFor(ctx, visible, b, override);
}

async function signFor(ctx: ServiceContext, person: PersonView, b: SignInput, override?: SignOverride): Promise<SignResult> {
  const on = today();
  const policy = await loadPolicy(ctx.tx);
  const errors = [...(await checkCombination(ctx, b)), ...contactProblems(b.emergencyContacts)];
  if (person.status === 'dead') errors.push({ field: 'personId', message: '该居民已死亡，不能签约' });
  if (errors.length) throw invalid(errors);
  const card = b.insuranceCardNo ? await checkCard(ctx, person.id, b.insuredPlace, b.insuranceCardNo) : null;

  const existing = await activeContractOfPerson(ctx.tx, person.id, true);
  const colour = existing ? statusColour(existing.cycle_end, on, policy) : null;
  const decision = canSign(colour);
  if (!decision.allowed && !override) throw unprocessable(decision.reason as string, [{ field: 'personId', message: decision.reason as string }]);
  assertStaysInScope(ctx, {
    district: person.residenceDistrict,
    street: person.residenceStreet,
    institution: b.institutionId,
    team: b.teamId,
    doctor: b.doctorId,
  });
  if (existing && colour === 'red') await endLapsed(ctx, existing, on, '签约超期未续约（红色），居民重新签约');
  else if (existing && override) await endForOverride(ctx, existing, on, override);
  if (b.insuranceCardNo && card && !card.alreadyHeld) {
    await updateResident(ctx, person.id, { insuranceCardNo: b.insuranceCardNo, insuredPlace: b.insuredPlace });
  }

  const row = await insertContract(ctx.tx, {
    person_id: person.id,
    institution_id: b.institutionId,
    team_id: b.teamId,
    doctor_id: b.doctorId,
    district_hospital_id: b.districtHospitalId ?? null,
    city_hospital_id: b.cityHospitalId ?? null,
    district_code: person.residenceDistrict,
    street_code: person.residenceStreet,
    signed_on: on,
    cycle_start: on,
    cycle_end: cycleEnd(on, 1),
    cycle_years: 1,
    doctor_since: on,
    channel: b.channel,
    tags: [...(existing && colour === 'red' ? ['红色重签'] : []), ...(override ? [override.tag] : [])],
    previous_id: existing?.id ?? null,
    ...sealContacts(ctx.kernel.keys, b.emergencyContacts ?? []),
    ...operator(ctx),
  });
  await insertEvent(ctx.tx, row, {
    kind: 'sign',
    initiator: b.channel === 'online' ? 'resident' : 'doctor',
    channel: b.channel,
    tags: row.tags,
    after: auditView(row),
    on_date: on,
    reason: override ? override.endReason : null,
    detail: override?.detail ?? null,
    ...operator(ctx),
  });
  await assignCare(ctx, person.id, { teamId: row.team_id, doctorId: row.doctor_id, managingInstitutionId: row.institution_id });
  const agreement = await generateAgreement(ctx, row, 'sign');
  await pushToCombination(ctx, row, 'sign');
  ctx.audit.write({
    action: override ? `family-doctor.sign-${override.initiator === 'resident' ? 'special' : 'auth-code'}` : 'family-doctor.sign',
    objectType: 'fd_contract',
    objectId: row.id,
    after: { ...auditView(row), agreementId: agreement.id, ...(override?.detail ?? {}) },
  });
  return { ...(await toDto(row, person, new Names(ctx), on, policy)), agreementId: agreement.id, warnings: card?.warnings ?? [] };
}

/** Ends a green or yellow contract that a special-case or authorization-code signing replaces. */
async function endForOverride(ctx: ServiceContext, c: ContractRow, on: string, o: SignOverride): Promise<void> {
  assertStaysInScope(ctx, { district: c.district_code, street: c.street_code, institution: c.institution_id, team: c.team_id, doctor: c.doctor_id });
  const after = (await updateContract(ctx.tx, c.id, {
    status: 'terminated',
    terminated_on: on,
    termination_initiator: o.initiator,
    termination_reason: o.endReason,
    tags: [...c.tags, o.tag],
  })) as ContractRow;
  await insertEvent(ctx.tx, after, {
    kind: 'terminate',
    initiator: o.initiator,
    reason: o.endReason,
    tags: [o.tag],
    before: auditView(c),
    after: auditView(after),
    on_date: on,
    detail: o.detail,
    ...operator(ctx),
  });
  await pushToCombination(ctx, after, 'terminate');
  ctx.audit.write({
    action: 'family-doctor.terminate',
    objectType: 'fd_contract',
    objectId: c.id,
    before: auditView(c),
    after: auditView(after),
    note: o.endReason,
  });
}

export const signRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/contracts',
  summary: '家庭医生新签约',
  description:
    '签约组合：社区卫生服务中心 + 家庭医生（团队）+ 区级医院 + 市级医院，签约周期 1 年。已有绿色或黄色签约的居民不能重复签约（422）；红色居民可重新签约。',
  auth: 'staff',
  permission: 'family-doctor.sign',
  body: SignBody,
  successStatus: 201,
  response: { 201: SignResult },
  handler: (ctx, { body }) => signContract(ctx, body),
});
