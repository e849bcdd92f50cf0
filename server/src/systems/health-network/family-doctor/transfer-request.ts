import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, Id, Paging, pageOf } from '../../../platform/http/schema.ts';
import { getInstitution, getTeam } from '../../common/master-data/service.ts';
import { getPeople } from '../../common/resident-index/service.ts';
import { contractById, insertTransferRequest, listTransferRequests, loadPolicy, pendingTransferOf, type TransferRequestRow } from './repository.ts';
import { canTransferBetweenDoctors, statusColour, TRANSFER_REASON_KINDS, TRANSFER_REASON_NAMES } from './rules.ts';
import { checkCombination, invalid, Names, NOT_FOUND, operator, Reason, today } from './shapes.ts';
import { TransferRequest, TransferRequestPage } from './responses.ts';

export const TransferRequestBody = Type.Object(
  {
    contractIds: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true }),
    toTeamId: Id,
    toDoctorId: Id,
    reasonKind: enumOf(TRANSFER_REASON_KINDS),
    reason: Reason,
  },
  { additionalProperties: false },
);
export type TransferRequestInput = typeof TransferRequestBody.static;

export type TransferRequestDto = TransferRequest;

const isoOf = (v: Date | string | null) => (v instanceof Date ? v.toISOString() : v);

export async function toTransferDto(r: TransferRequestRow, names: Names): Promise<TransferRequestDto> {
  return {
    id: r.id,
    status: r.status,
    fromInstitutionId: r.from_institution_id,
    fromInstitutionName: await names.institution(r.from_institution_id),
    fromDoctorId: r.from_doctor_id,
    fromDoctorName: await names.doctor(r.from_doctor_id),
    toInstitutionId: r.to_institution_id,
    toInstitutionName: await names.institution(r.to_institution_id),
    toTeamId: r.to_team_id,
    toTeamName: await names.teamName(r.to_team_id),
    toDoctorId: r.to_doctor_id,
    toDoctorName: await names.doctor(r.to_doctor_id),
    reasonKind: r.reason_kind,
    reasonKindName: TRANSFER_REASON_NAMES[r.reason_kind],
    reason: r.reason,
    contractIds: r.contract_ids,
    residents: r.residents,
    decisionReason: r.decision_reason,
    movedIds: r.moved_ids,
    skippedIds: r.skipped_ids,
    requestedByName: r.requested_by_name,
    requestedAt: isoOf(r.requested_at) as string,
    decidedByName: r.decided_by_name,
    decidedAt: isoOf(r.decided_at),
  };
}

/**
 * 发起转签: the selected active contracts of one family doctor go to another doctor once the receiving
 * side accepts (see `canTransferBetweenDoctors` for the rules). Nothing moves yet.
 */
export async function requestTransfer(ctx: ServiceContext, b: TransferRequestInput): Promise<TransferRequestDto> {
  const on = today();
  const policy = await loadPolicy(ctx.tx);
  const contracts = [];
  for (const id of b.contractIds) {
    const c = await contractById(ctx.tx, id, true);
    if (!c) throw notFound(`${NOT_FOUND}（签约编号 ${id}）`);
    if (c.status !== 'active') throw unprocessable(`签约 ${id} 已解约，不能转签`, [{ field: 'contractIds', message: `签约 ${id} 已解约` }]);
    if (statusColour(c.cycle_end, on, policy) === 'red')
      throw unprocessable(`签约 ${id} 已到期超过 ${policy.yellowAfterDays} 天（红色），不能转签`, [{ field: 'contractIds', message: `签约 ${id} 已失效` }]);
    contracts.push(c);
  }
  const from = contracts[0]!; // contractIds has minItems 1
  if (contracts.some((c) => c.doctor_id !== from.doctor_id || c.institution_id !== from.institution_id)) {
    throw unprocessable('一次转签只能选择同一位家庭医生的签约居民', [{ field: 'contractIds', message: '所选签约不属于同一位家庭医生' }]);
  }
  const busy = await pendingTransferOf(ctx.tx, b.contractIds);
  if (busy.length) throw unprocessable(`签约 ${busy.join('、')} 已在待处理的转签申请中`, [{ field: 'contractIds', message: '已有待处理的转签申请' }]);

  const team = await getTeam(ctx, b.toTeamId);
  if (!team) throw invalid([{ field: 'toTeamId', message: '接收团队不存在' }]);
  const errors = (await checkCombination(ctx, { institutionId: team.institutionId, teamId: b.toTeamId, doctorId: b.toDoctorId })).map((e) => ({
    ...e,
    field: e.field === 'doctorId' ? 'toDoctorId' : e.field === 'teamId' ? 'toTeamId' : e.field,
  }));
  if (errors.length) throw invalid(errors);
  const fromInst = await getInstitution(ctx, from.institution_id);
  const toInst = await getInstitution(ctx, team.institutionId);
  const decision = canTransferBetweenDoctors({
    sameDoctor: b.toDoctorId === from.doctor_id,
    sameCommunity: team.institutionId === from.institution_id,
    sameDistrict: !!fromInst && !!toInst && fromInst.districtCode === toInst.districtCode,
  });
  if (!decision.allowed) throw unprocessable(decision.reason as string, [{ field: 'toDoctorId', message: decision.reason as string }]);

  const people = await getPeople(
    ctx,
    contracts.map((c) => c.person_id),
  );
  const row = await insertTransferRequest(ctx.tx, {
    from_institution_id: from.institution_id,
    from_team_id: from.team_id,
    from_doctor_id: from.doctor_id,
    to_institution_id: team.institutionId,
    to_team_id: b.toTeamId,
    to_doctor_id: b.toDoctorId,
    district_code: fromInst?.districtCode ?? from.district_code,
    reason_kind: b.reasonKind,
    reason: b.reason,
    contract_ids: b.contractIds,
    residents: contracts.map((c) => ({
      contractId: c.id,
      personName: people.get(c.person_id)?.name ?? null,
      idNumberMasked: people.get(c.person_id)?.idNumberMasked ?? null,
    })),
    requested_by: operator(ctx).operator_id,
    requested_by_name: operator(ctx).operator_name,
  });
  ctx.audit.write({
    action: 'family-doctor.transfer-request',
    objectType: 'fd_transfer_request',
    objectId: row.id,
    before: null,
    after: { ...row, residents: undefined },
  });
  return toTransferDto(row, new Names(ctx));
}

export const transferRequestRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/transfer-requests',
  summary: '发起转签（医生退休、调岗、离职）',
  description: '选择同一位家庭医生的签约居民转给本社区或本区其他社区的家庭医生，由接收方接收或拒绝；待处理期间签约不变。',
  auth: 'staff',
  permission: 'family-doctor.sign',
  body: TransferRequestBody,
  successStatus: 201,
  response: { 201: TransferRequest },
  handler: (ctx, { body }) => requestTransfer(ctx, body),
});

export const TransferListQuery = Type.Object(
  {
    doctorId: Type.Optional(Id),
    direction: Type.Optional(enumOf(['in', 'out'] as const)),
    status: Type.Optional(enumOf(['pending', 'accepted', 'rejected'] as const)),
    ...Paging,
  },
  { additionalProperties: false },
);

/** 转签记录: requests either side sees (pending ones per doctor are the inbox), newest first. */
export async function listTransfers(ctx: ServiceContext, q: typeof TransferListQuery.static): Promise<{ items: TransferRequestDto[]; total: number }> {
  const { rows, total } = await listTransferRequests(ctx.tx, { ...q, ...pageOf(q) });
  const names = new Names(ctx);
  const items: TransferRequestDto[] = [];
  for (const r of rows) items.push(await toTransferDto(r, names));
  return { items, total };
}

export const transferListRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/transfer-requests',
  summary: '转签申请与记录',
  description: '转出方和接收方均可见；direction=in 且 status=pending 为某医生待处理的转签。',
  auth: 'staff',
  permission: 'family-doctor.read',
  querystring: TransferListQuery,
  response: { 200: TransferRequestPage },
  handler: (ctx, { query }) => listTransfers(ctx, query),
});
