import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { applyCard, CardFields } from './insurance-card.ts';
import { Id, IdParams, nullable } from '../../../platform/http/schema.ts';
import { getPerson } from '../../common/resident-index/service.ts';
import { liveContract } from './change-doctor.ts';
import { type ContractRow, insertEvent, loadPolicy, updateContract } from './repository.ts';
import { pushToCombination } from './combination-push.ts';
import { canChangeHospitals } from './rules.ts';
import {
  auditView,
  checkCombination,
  type ContractDto,
  history,
  Initiator,
  invalid,
  Names,
  operator,
  Reason,
  requireInformed,
  ResidentInformed,
  today,
  toDto,
} from './shapes.ts';
import { Contract } from './responses.ts';

export const ChangeHospitalsBody = Type.Object(
  {
    districtHospitalId: nullable(Id),
    cityHospitalId: nullable(Id),
    initiator: Initiator,
    reason: Reason,
    residentInformed: ResidentInformed,
    ...CardFields,
  },
  { additionalProperties: false },
);
export type ChangeHospitalsInput = typeof ChangeHospitalsBody.static;

/** The hospital fields a refusal names: the ones the caller changed (both when neither did). */
export function changedHospitalFields(
  old: { district_hospital_id: number | null; city_hospital_id: number | null },
  b: { districtHospitalId?: number | null; cityHospitalId?: number | null },
): ('districtHospitalId' | 'cityHospitalId')[] {
  const fields: ('districtHospitalId' | 'cityHospitalId')[] = [];
  if (b.districtHospitalId !== undefined && b.districtHospitalId !== old.district_hospital_id) fields.push('districtHospitalId');
  if (b.cityHospitalId !== undefined && b.cityHospitalId !== old.city_hospital_id) fields.push('cityHospitalId');
  return fields.length ? fields : ['districtHospitalId', 'cityHospitalId'];
}

/** 更换上级医院 (district and/or city hospital of the combination): at most twice per change-sign year. */
export async function changeHospitals(ctx: ServiceContext, id: number, b: ChangeHospitalsInput): Promise<ContractDto> {
  const on = today();
  const policy = await loadPolicy(ctx.tx);
  const old = await liveContract(ctx, id, on, policy);
  const errors = (
    await checkCombination(ctx, {
      institutionId: old.institution_id,
      teamId: old.team_id ?? 0,
      doctorId: old.doctor_id,
      districtHospitalId: b.districtHospitalId,
      cityHospitalId: b.cityHospitalId,
    })
  ).filter((e) => e.field === 'districtHospitalId' || e.field === 'cityHospitalId');
  if (errors.length) throw invalid(errors);
  const changed = b.districtHospitalId !== old.district_hospital_id || b.cityHospitalId !== old.city_hospital_id;
  const decision = canChangeHospitals(history(old), on, changed, policy);
  if (!decision.allowed)
    throw unprocessable(
      decision.reason as string,
      changedHospitalFields(old, b).map((field) => ({ field, message: decision.reason as string })),
    );
  requireInformed(b.residentInformed);
  await applyCard(ctx, old.person_id, b);

  const row = (await updateContract(ctx.tx, old.id, {
    district_hospital_id: b.districtHospitalId,
    city_hospital_id: b.cityHospitalId,
    hospital_changes: [...old.hospital_changes, on],
    ...operator(ctx),
  })) as ContractRow;
  await insertEvent(ctx.tx, row, {
    kind: 'change_hospitals',
    initiator: b.initiator,
    reason: b.reason,
    before: auditView(old),
    after: auditView(row),
    on_date: on,
    detail: { residentInformed: true, chancesBefore: decision.chances },
    ...operator(ctx),
  });
  await pushToCombination(ctx, row, 'change_hospitals');
  ctx.audit.write({ action: 'family-doctor.change-hospitals', objectType: 'fd_contract', objectId: row.id, before: auditView(old), after: auditView(row) });
  return toDto(row, await getPerson(ctx, row.person_id), new Names(ctx), on, policy);
}

export const changeHospitalsRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/contracts/:id/hospitals',
  summary: '更换签约组合的上级医院',
  description: '变更签约年内更换区级或市级医院不超过 2 次（可配置），超过返回 422 及原因和剩余次数。',
  auth: 'staff',
  permission: 'family-doctor.sign',
  params: IdParams,
  body: ChangeHospitalsBody,
  response: { 200: Contract },
  handler: (ctx, { params, body }) => changeHospitals(ctx, params.id, body),
});
