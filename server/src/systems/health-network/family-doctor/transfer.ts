import type { ServiceContext } from '../../../platform/service-context.ts';
import { changedHospitalFields } from './change-hospitals.ts';
import { Type } from '@sinclair/typebox';
import { unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { Id, IdParams } from '../../../platform/http/schema.ts';
import { getTeam } from '../../common/master-data/service.ts';
import { assignCare, getPerson } from '../../common/resident-index/service.ts';
import { liveContract } from './change-doctor.ts';
import { type ContractRow, insertEvent, loadPolicy, updateContract } from './repository.ts';
import { canTransfer } from './rules.ts';
import {
  assertStaysInScope,
  auditView,
  checkCombination,
  type ContractDto,
  history,
  Initiator,
  invalid,
  Names,
  operator,
  Reason,
  today,
  toDto,
} from './shapes.ts';
import { Contract } from './responses.ts';

export const TransferBody = Type.Object(
  {
    teamId: Id,
    doctorId: Id,
    /** Given only to be checked: a transfer inside the community keeps the hospitals. */
    districtHospitalId: Type.Optional(Id),
    cityHospitalId: Type.Optional(Id),
    initiator: Initiator,
    reason: Reason,
  },
  { additionalProperties: false },
);
export type TransferInput = typeof TransferBody.static;

/**
 * 社区内转签: another family doctor (and team) of the same 社区卫生服务中心, any number of times; the
 * district and city hospitals of the combination stay as they are. The contract and its cycle continue.
 */
export async function transferInCommunity(ctx: ServiceContext, id: number, b: TransferInput): Promise<ContractDto> {
  const on = today();
  const policy = await loadPolicy(ctx.tx);
  const old = await liveContract(ctx, id, on, policy);
  const team = await getTeam(ctx, b.teamId);
  const hospitalsChanged =
    (b.districtHospitalId !== undefined && b.districtHospitalId !== old.district_hospital_id) ||
    (b.cityHospitalId !== undefined && b.cityHospitalId !== old.city_hospital_id);
  const decision = canTransfer(
    history(old),
    on,
    { sameCommunity: !team || team.institutionId === old.institution_id, sameDoctor: b.doctorId === old.doctor_id, hospitalsChanged },
    policy,
  );
  if (!decision.allowed) {
    const fields = hospitalsChanged ? changedHospitalFields(old, b) : ['doctorId'];
    throw unprocessable(
      decision.reason as string,
      fields.map((field) => ({ field, message: decision.reason as string })),
    );
  }
  const errors = await checkCombination(ctx, { institutionId: old.institution_id, teamId: b.teamId, doctorId: b.doctorId });
  if (errors.length) throw invalid(errors);
  assertStaysInScope(ctx, { district: old.district_code, street: old.street_code, institution: old.institution_id, team: b.teamId, doctor: b.doctorId });

  const row = (await updateContract(ctx.tx, old.id, { team_id: b.teamId, doctor_id: b.doctorId, doctor_since: on, ...operator(ctx) })) as ContractRow;
  await insertEvent(ctx.tx, row, {
    kind: 'transfer_in_community',
    initiator: b.initiator,
    reason: b.reason,
    before: auditView(old),
    after: auditView(row),
    on_date: on,
    detail: { fromDoctorId: old.doctor_id, toDoctorId: row.doctor_id },
    ...operator(ctx),
  });
  await assignCare(ctx, row.person_id, { teamId: row.team_id, doctorId: row.doctor_id, managingInstitutionId: row.institution_id });
  ctx.audit.write({ action: 'family-doctor.transfer', objectType: 'fd_contract', objectId: row.id, before: auditView(old), after: auditView(row) });
  return toDto(row, await getPerson(ctx, row.person_id), new Names(ctx), on, policy);
}

export const transferRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/contracts/:id/internal-transfer',
  summary: '社区内转签',
  description: '同一社区卫生服务中心内更换家庭医生，不限次数；不得变更区级医院和市级医院（422）。',
  auth: 'staff',
  permission: 'family-doctor.sign',
  params: IdParams,
  body: TransferBody,
  response: { 200: Contract },
  handler: (ctx, { params, body }) => transferInCommunity(ctx, params.id, body),
});
