import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { forbidden, notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, Id, IdParams, Paging, pageOf } from '../../../platform/http/schema.ts';
import { getPeople, getPerson, handOverCare, type PersonView, recordDeath } from '../../common/resident-index/service.ts';
import {
  type ContractRow,
  contractById,
  type DeathCheckRow,
  deathCheckById,
  decideDeathCheck,
  insertEvent,
  listDeathChecks,
  updateContract,
} from './repository.ts';
import { auditView, Names, operator, today } from './shapes.ts';
import { scopeCovers } from '../../../platform/scope/scope.ts';
import { DeathCheck, DeathCheckPage } from './responses.ts';

export const DEATH_REASON = '死亡';

export type DeathCheckDto = DeathCheck;

const isoOf = (v: Date | string | null) => (v instanceof Date ? v.toISOString() : v);

export async function toDeathCheckDto(r: DeathCheckRow, person: PersonView | null | undefined, names: Names): Promise<DeathCheckDto> {
  return {
    id: r.id,
    contractId: r.contract_id,
    personId: r.person_id,
    personName: person?.name ?? null,
    idNumberMasked: person?.idNumberMasked ?? null,
    deathDate: r.death_date,
    source: r.source,
    reportNo: r.report_no,
    cause: r.cause,
    status: r.status,
    note: r.note,
    doctorId: r.doctor_id,
    doctorName: await names.doctor(r.doctor_id),
    reportedByName: r.reported_by_name,
    reportedAt: isoOf(r.reported_at) as string,
    decidedByName: r.decided_by_name,
    decidedAt: isoOf(r.decided_at),
  };
}

export const DeathCheckQuery = Type.Object(
  { status: Type.Optional(enumOf(['pending', 'confirmed', 'not_same_person'] as const)), doctorId: Type.Optional(Id), ...Paging },
  { additionalProperties: false },
);

/** 死亡核实 list: the tasks in the caller's scope (a doctor sees its own), newest first. */
export async function listDeathCheckPage(ctx: ServiceContext, q: typeof DeathCheckQuery.static): Promise<{ items: DeathCheckDto[]; total: number }> {
  const { rows, total } = await listDeathChecks(ctx.tx, { ...q, ...pageOf(q) });
  const people = await getPeople(
    ctx,
    rows.map((r) => r.person_id),
  );
  const names = new Names(ctx);
  const items: DeathCheckDto[] = [];
  for (const r of rows) items.push(await toDeathCheckDto(r, people.get(r.person_id), names));
  return { items, total };
}

export const deathCheckListRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/death-checks',
  summary: '死亡核实任务',
  auth: 'staff',
  permission: 'family-doctor.read',
  querystring: DeathCheckQuery,
  response: { 200: DeathCheckPage },
  handler: (ctx, { query }) => listDeathCheckPage(ctx, query),
});

export const VerifyBody = Type.Object(
  { result: enumOf(['confirm', 'not_same_person'] as const), note: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

/**
 * The doctor verifies a death report: confirm ends the contract (initiator 系统, reason 死亡, terminated on
 * the day of verification) and clears the resident's care assignment; "not the same person" closes the task,
 * the contract stays. Decided once.
 */
export async function verifyDeath(ctx: ServiceContext, id: number, b: typeof VerifyBody.static): Promise<DeathCheckDto> {
  const on = today();
  const d = await deathCheckById(ctx.tx, id, true);
  if (!d) throw notFound('死亡核实任务不存在或不在您的数据权限范围内');
  if (d.status !== 'pending') throw unprocessable('该死亡报告已核实，不能重复处理');
  if (b.result === 'not_same_person' && !b.note?.trim())
    throw unprocessable('请说明核实情况（如身份信息不符）', [{ field: 'note', message: '请填写核实说明' }]);
  if (
    !scopeCovers(ctx.principal.scope, { district: d.district_code, street: d.street_code, institution: d.institution_id, team: d.team_id, doctor: d.doctor_id })
  ) {
    throw forbidden('只有签约家庭医生或其机构管理员可以核实');
  }
  if (b.result === 'confirm') {
    const c = await contractById(ctx.tx, d.contract_id, true);
    if (c && c.status === 'active') {
      const note = `死亡报告核实确认（死亡日期 ${d.death_date}${d.report_no ? `，报告卡 ${d.report_no}` : ''}）`;
      // Clearing the care assignment takes the resident out of a doctor's own scope: a care hand-over
      // (resident-index) done as the giving side, which ends the care.
      const from = { district: c.district_code, street: c.street_code, institution: c.institution_id, team: c.team_id, doctor: c.doctor_id };
      await handOverCare(ctx, { from, to: null, actingFor: 'giving' }, async () => {
        const row = (await updateContract(ctx.tx, c.id, {
          status: 'terminated',
          terminated_on: on,
          termination_initiator: 'system',
          termination_reason: DEATH_REASON,
          ...operator(ctx),
        })) as ContractRow;
        await insertEvent(ctx.tx, row, {
          kind: 'terminate',
          initiator: 'system',
          reason: DEATH_REASON,
          before: auditView(c),
          after: auditView(row),
          on_date: on,
          detail: { deathCheckId: d.id, deathDate: d.death_date, note },
          ...operator(ctx),
        });
        ctx.audit.write({ action: 'family-doctor.terminate', objectType: 'fd_contract', objectId: c.id, before: auditView(c), after: auditView(row), note });
        // The resident index learns the death (date and source) while the hand-over still sees the resident.
        await recordDeath(ctx, c.person_id, { deathDate: d.death_date, source: 'fd_death_check', reference: d.report_no });
        return { personId: c.person_id, value: row.id };
      });
    } else {
      // No contract in force any more: the death still reaches the index where the caller sees the resident.
      await recordDeath(ctx, d.person_id, { deathDate: d.death_date, source: 'fd_death_check', reference: d.report_no });
    }
  }
  const { operator_id, operator_name } = operator(ctx);
  const done = await decideDeathCheck(ctx.tx, d.id, {
    status: b.result === 'confirm' ? 'confirmed' : 'not_same_person',
    note: b.note ?? null,
    decided_by: operator_id,
    decided_by_name: operator_name,
  });
  ctx.audit.write({
    action: 'family-doctor.death-verify',
    objectType: 'fd_death_check',
    objectId: d.id,
    before: { status: d.status },
    after: { status: done.status, note: done.note },
  });
  return toDeathCheckDto(done, await getPerson(ctx, d.person_id), new Names(ctx));
}

export const deathVerifyRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/death-checks/:id/verify',
  summary: '核实死亡报告',
  description: 'confirm：确认死亡，签约由系统以“死亡”原因解约；not_same_person：非本人，签约不变（须说明）。',
  auth: 'staff',
  permission: 'family-doctor.terminate',
  params: IdParams,
  body: VerifyBody,
  response: { 200: DeathCheck },
  handler: (ctx, { params, body }) => verifyDeath(ctx, params.id, body),
});
