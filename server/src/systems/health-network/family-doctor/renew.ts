import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { applyCard, CardFields } from './insurance-card.ts';
import { IdParams } from '../../../platform/http/schema.ts';
import { getPerson } from '../../common/resident-index/service.ts';
import { reportLinks } from '../health-assessment/service.ts';
import { generateAgreement } from './agreement.ts';
import { type ContractRow, contractById, insertEvent, loadPolicy, updateContract, visitCount } from './repository.ts';
import { addDays, canRenew, canRenewFor, cycleEnd, type Policy, type RenewalOptions, renewalOptions, statusColour } from './rules.ts';
import { auditView, type ContractDto, Names, NOT_FOUND, operator, today, toDto } from './shapes.ts';
import { Contract, RenewalPreview } from './responses.ts';

const ReportUrl = Type.String({ format: 'uri', maxLength: 500 });

export const RenewBody = Type.Object(
  {
    years: Type.Integer({ minimum: 1, maximum: 3 }),
    healthAssessmentUrl: Type.Optional(ReportUrl),
    physicalExamUrl: Type.Optional(ReportUrl),
    ...CardFields,
  },
  { additionalProperties: false },
);
export type RenewInput = typeof RenewBody.static;

export const RenewalOptionsQuery = Type.Object(
  { withHealthAssessment: Type.Optional(Type.Boolean()), withPhysicalExam: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

async function contractOr404(ctx: ServiceContext, id: number, lock = false): Promise<ContractRow> {
  const c = await contractById(ctx.tx, id, lock);
  if (!c) throw notFound(NOT_FOUND);
  return c;
}

/**
 * The report links renewal conditions ③/④ look at: given in the request, else the contract's own columns,
 * else the latest report archived through health-assessment (FTP or console upload).
 */
async function reportsFor(ctx: ServiceContext, c: ContractRow, on: string, given: { healthAssessmentUrl?: string; physicalExamUrl?: string } = {}) {
  const links = given.healthAssessmentUrl && given.physicalExamUrl ? null : await reportLinks(ctx, c.person_id, on);
  return {
    healthAssessmentUrl: given.healthAssessmentUrl ?? c.health_assessment_url ?? links?.healthAssessment?.url ?? null,
    physicalExamUrl: given.physicalExamUrl ?? c.physical_exam_url ?? links?.physicalExam?.url ?? null,
  };
}

async function optionsFor(
  ctx: ServiceContext,
  c: ContractRow,
  on: string,
  reports: { healthAssessment: boolean; physicalExam: boolean },
): Promise<RenewalOptions> {
  const person = await getPerson(ctx, c.person_id);
  const visits = await visitCount(ctx.tx, c.person_id, c.institution_id, addDays(on, -365), on);
  return renewalOptions({
    today: on,
    doctorSince: c.doctor_since,
    visitsLastYear: visits,
    hasHealthAssessment: reports.healthAssessment,
    // Without the resident's birth date (outside the caller's scope) the age condition cannot be met.
    birthDate: person?.birthDate ?? on,
    hasPhysicalExam: reports.physicalExam,
  });
}

const newStart = (c: ContractRow, on: string) => (c.cycle_end >= on ? addDays(c.cycle_end, 1) : on);

function refusal(c: ContractRow, on: string, p: Policy): string | null {
  if (c.status !== 'active') return '该签约已解约，不能续约';
  return canRenew(statusColour(c.cycle_end, on, p), p).reason;
}

/** What the renew screen shows: whether renewal is open now, the cycle lengths on offer and why. */
export async function previewRenewal(ctx: ServiceContext, id: number, q: typeof RenewalOptionsQuery.static): Promise<RenewalPreview> {
  const on = today();
  const policy = await loadPolicy(ctx.tx);
  const c = await contractOr404(ctx, id);
  const known = await reportsFor(ctx, c, on);
  const o = await optionsFor(ctx, c, on, {
    healthAssessment: q.withHealthAssessment ?? !!known.healthAssessmentUrl,
    physicalExam: q.withPhysicalExam ?? !!known.physicalExamUrl,
  });
  const reason = refusal(c, on, policy);
  return {
    ...o,
    colour: c.status === 'active' ? statusColour(c.cycle_end, on, policy) : null,
    allowed: reason === null,
    refusal: reason,
    newCycleStart: newStart(c, on),
  };
}

/**
 * 续约 in the renewal window (yellow). 弹性续约: the resident may choose 2 or 3 years when the conditions hold
 * (rules.renewalOptions); otherwise 1 year. The cycle continues from the old end (or today, once lapsed).
 */
export async function renewContract(ctx: ServiceContext, id: number, b: RenewInput): Promise<ContractDto> {
  const on = today();
  const policy = await loadPolicy(ctx.tx);
  const c = await contractOr404(ctx, id, true);
  const refused = refusal(c, on, policy);
  if (refused) throw unprocessable(refused);
  const { healthAssessmentUrl, physicalExamUrl } = await reportsFor(ctx, c, on, b);
  const o = await optionsFor(ctx, c, on, { healthAssessment: !!healthAssessmentUrl, physicalExam: !!physicalExamUrl });
  const d = canRenewFor(b.years, o);
  if (!d.allowed) throw unprocessable(d.reason as string, [{ field: 'years', message: d.reason as string }]);
  await applyCard(ctx, c.person_id, b);

  const start = newStart(c, on);
  const row = (await updateContract(ctx.tx, c.id, {
    cycle_start: start,
    cycle_end: cycleEnd(start, b.years),
    cycle_years: b.years,
    health_assessment_url: healthAssessmentUrl,
    physical_exam_url: physicalExamUrl,
    ...operator(ctx),
  })) as ContractRow;
  await insertEvent(ctx.tx, row, {
    kind: 'renew',
    initiator: 'doctor',
    before: auditView(c),
    after: auditView(row),
    on_date: on,
    detail: { years: b.years, options: o.years, conditions: o.conditions.map((x) => ({ code: x.code, met: x.met })), reason: o.reason },
    ...operator(ctx),
  });
  // A new management cycle gets its own agreement.
  await generateAgreement(ctx, row, 'renew');
  ctx.audit.write({
    action: 'family-doctor.renew',
    objectType: 'fd_contract',
    objectId: row.id,
    before: auditView(c),
    after: auditView(row),
    note: `续约 ${b.years} 年`,
  });
  return toDto(row, await getPerson(ctx, row.person_id), new Names(ctx), on, policy);
}

export const renewalOptionsRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/contracts/:id/flexible-renewal',
  summary: '续约选项（弹性续约条件）',
  auth: 'staff',
  permission: 'family-doctor.read',
  params: IdParams,
  querystring: RenewalOptionsQuery,
  response: { 200: RenewalPreview },
  handler: (ctx, { params, query }) => previewRenewal(ctx, params.id, query),
});

export const renewRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/contracts/:id/renew',
  summary: '续约（含弹性续约）',
  description: '仅黄色（待续约）签约可续约。满足①②③可选 1 或 2 年，满足①②④可选 1、2 或 3 年，否则 1 年；不符时返回 422 及原因。',
  auth: 'staff',
  permission: 'family-doctor.sign',
  params: IdParams,
  body: RenewBody,
  response: { 200: Contract },
  handler: (ctx, { params, body }) => renewContract(ctx, params.id, body),
});
