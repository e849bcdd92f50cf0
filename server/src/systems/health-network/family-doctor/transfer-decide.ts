import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { type FieldError, forbidden, notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { IdParams } from '../../../platform/http/schema.ts';
import { cardOnRecordProblem, getPerson, handOverCare } from '../../common/resident-index/service.ts';
import { generateAgreement } from './agreement.ts';
import { pushToCombination } from './combination-push.ts';
import {
  type ContractRow,
  contractById,
  decideTransferRequest,
  insertEvent,
  type TransferRequestRow,
  transferRequestById,
  updateContract,
} from './repository.ts';
import { canDecideTransfer, TRANSFER_REASON_NAMES } from './rules.ts';
import { auditView, Names, operator, Reason, today } from './shapes.ts';
import { type TransferRequestDto, toTransferDto } from './transfer-request.ts';
import { scopeCovers } from '../../../platform/scope/scope.ts';
import { TransferRequest } from './responses.ts';

const REQUEST_NOT_FOUND = '转签申请不存在或不在您的数据权限范围内';

/** The request, locked, still pending, and the caller on the receiving side (the receiving doctor, its team, centre or above). */
async function decidable(ctx: ServiceContext, id: number): Promise<TransferRequestRow> {
  const r = await transferRequestById(ctx.tx, id, true);
  if (!r) throw notFound(REQUEST_NOT_FOUND);
  const d = canDecideTransfer(r.status);
  if (!d.allowed) throw unprocessable(d.reason as string);
  if (
    !scopeCovers(ctx.principal.scope, { district: r.district_code, street: null, institution: r.to_institution_id, team: r.to_team_id, doctor: r.to_doctor_id })
  ) {
    throw forbidden('只有接收医生或接收机构的管理员可以处理该转签申请');
  }
  return r;
}

/**
 * 接收转签: every contract of the request still active with the transferring doctor moves to the
 * receiving doctor, team and centre (same cycle, same hospitals); an event is recorded on the contract and
 * the resident's care assignment follows. Contracts that changed meanwhile are skipped and listed.
 */
export async function acceptTransfer(ctx: ServiceContext, id: number): Promise<TransferRequestDto> {
  const on = today();
  const r = await decidable(ctx, id);
  const moved: number[] = [];
  const skipped: number[] = [];
  // Rows whose resident's card breaks the card rules: the whole acceptance is refused (the transaction rolls
  // back, nothing half-moved) with one reason per row.
  const refused: FieldError[] = [];
  // Each contract is a hand-over of one resident's care, done as the receiving side (resident-index checks both sides).
  const from = { district: r.district_code, street: null, institution: r.from_institution_id, team: r.from_team_id, doctor: r.from_doctor_id };
  const to = { district: r.district_code, street: null, institution: r.to_institution_id, team: r.to_team_id, doctor: r.to_doctor_id };
  for (const cid of r.contract_ids) {
    const { result } = await handOverCare(ctx, { from, to, actingFor: 'receiving' }, async () => {
      const old = await contractById(ctx.tx, cid, true);
      if (old?.status !== 'active' || old.doctor_id !== r.from_doctor_id) return null;
      // Checked while the hand-over lets the receiving side see the resident.
      const problem = await cardOnRecordProblem(ctx, old.person_id);
      if (problem) {
        const p = await getPerson(ctx, old.person_id);
        refused.push({
          field: `contractIds[${r.contract_ids.indexOf(cid)}]`,
          message: `${p?.name ?? '居民'}（${p?.idNumberMasked ?? `签约 ${cid}`}）医保卡不符合规则：${problem}`,
        });
        return null;
      }
      const row = (await updateContract(ctx.tx, cid, {
        institution_id: r.to_institution_id,
        team_id: r.to_team_id,
        doctor_id: r.to_doctor_id,
        doctor_since: on,
        ...operator(ctx),
      })) as ContractRow;
      const detail = {
        requestId: r.id,
        fromDoctorId: r.from_doctor_id,
        toDoctorId: r.to_doctor_id,
        fromInstitutionId: r.from_institution_id,
        toInstitutionId: r.to_institution_id,
      };
      await insertEvent(ctx.tx, row, {
        kind: 'transfer',
        initiator: 'doctor',
        reason: `${TRANSFER_REASON_NAMES[r.reason_kind]}：${r.reason}`,
        before: auditView(old),
        after: auditView(row),
        on_date: on,
        detail,
        ...operator(ctx),
      });
      // The agreement now names the receiving doctor (and carries the receiving doctor's signature).
      await generateAgreement(ctx, row, 'transfer');
      await pushToCombination(ctx, row, 'transfer');
      ctx.audit.write({
        action: 'family-doctor.transfer-move',
        objectType: 'fd_contract',
        objectId: row.id,
        before: auditView(old),
        after: auditView(row),
        note: `转签申请 ${r.id}`,
      });
      return { personId: row.person_id, value: row.id };
    });
    (result === null ? skipped : moved).push(cid);
  }
  if (refused.length) {
    throw unprocessable(`${refused.length} 位居民的医保卡不符合规则，本次转签未接收（请先在居民档案中更正参保地或医保卡号）`, refused);
  }
  const done = await decideTransferRequest(ctx.tx, r.id, {
    status: 'accepted',
    decision_reason: null,
    moved_ids: moved,
    skipped_ids: skipped,
    decided_by: operator(ctx).operator_id,
    decided_by_name: operator(ctx).operator_name,
  });
  ctx.audit.write({
    action: 'family-doctor.transfer-accept',
    objectType: 'fd_transfer_request',
    objectId: r.id,
    before: { status: r.status },
    after: { status: done.status, movedIds: moved, skippedIds: skipped },
  });
  return toTransferDto(done, new Names(ctx));
}

export const RejectBody = Type.Object({ reason: Reason }, { additionalProperties: false });

/** 拒绝转签: nothing moves; the reason is kept for both sides. */
export async function rejectTransfer(ctx: ServiceContext, id: number, b: typeof RejectBody.static): Promise<TransferRequestDto> {
  const r = await decidable(ctx, id);
  const done = await decideTransferRequest(ctx.tx, r.id, {
    status: 'rejected',
    decision_reason: b.reason,
    moved_ids: [],
    skipped_ids: [],
    decided_by: operator(ctx).operator_id,
    decided_by_name: operator(ctx).operator_name,
  });
  ctx.audit.write({
    action: 'family-doctor.transfer-reject',
    objectType: 'fd_transfer_request',
    objectId: r.id,
    before: { status: r.status },
    after: { status: done.status, decisionReason: b.reason },
  });
  return toTransferDto(done, new Names(ctx));
}

export const transferAcceptRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/transfer-requests/:id/accept',
  summary: '接收转签',
  description: '接收医生（或其团队、机构及以上管理员）接收；签约随之转给接收医生，只能处理一次。',
  auth: 'staff',
  permission: 'family-doctor.sign',
  params: IdParams,
  response: { 200: TransferRequest },
  handler: (ctx, { params }) => acceptTransfer(ctx, params.id),
});

export const transferRejectRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/transfer-requests/:id/reject',
  summary: '拒绝转签',
  description: '须填写拒绝原因；签约不变，只能处理一次。',
  auth: 'staff',
  permission: 'family-doctor.sign',
  params: IdParams,
  body: RejectBody,
  response: { 200: TransferRequest },
  handler: (ctx, { params, body }) => rejectTransfer(ctx, params.id, body),
});
