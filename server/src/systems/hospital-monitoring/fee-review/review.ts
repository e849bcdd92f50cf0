import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { AppError, conflict, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, IdParams } from '../../../platform/http/schema.ts';
import { getCase } from './cases.ts';
import * as repo from './repository.ts';
import { CONCLUSIONS, FINDING_RESULTS, transition } from './state.ts';
import { FeeCaseDetail } from './responses.ts';

export const ConcludeBody = Type.Object(
  {
    findings: Type.Array(
      Type.Object(
        { dimension: Type.String({ minLength: 1, maxLength: 40 }), result: enumOf(FINDING_RESULTS), note: Type.Optional(Type.String({ maxLength: 2000 })) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
    conclusion: enumOf(CONCLUSIONS),
    note: Type.String({ minLength: 1, maxLength: 5000 }),
  },
  { additionalProperties: false },
);

const invalid = (field: string, message: string) => new AppError(400, 'VALIDATION_FAILED', message, [{ field, message }]);

/** An expert takes the case: uploaded → under_review, the expert becomes its reviewer. */
export async function startReview(ctx: ServiceContext, id: number) {
  const c = await repo.findCase(ctx.tx, id, true);
  if (!c) throw notFound('病例不存在或不在您的数据权限范围内');
  const to = transition(c.status, 'start_review');
  await repo.startReview(ctx.tx, id, ctx.principal.username);
  ctx.audit.write({
    action: 'fee_review.case.start_review',
    objectType: 'fr_case',
    objectId: id,
    districtCode: c.districtCode,
    before: { status: c.status },
    after: { status: to, reviewer: ctx.principal.username },
  });
  return getCase(ctx, id, { audit: false });
}

/**
 * The reviewer records one finding per active check dimension (each exactly once; a problem needs a
 * note) and the conclusion: under_review → concluded.
 */
export async function concludeReview(ctx: ServiceContext, id: number, b: typeof ConcludeBody.static) {
  const c = await repo.findCase(ctx.tx, id, true);
  if (!c) throw notFound('病例不存在或不在您的数据权限范围内');
  const to = transition(c.status, 'conclude');
  if (c.reviewer !== ctx.principal.username) throw conflict(`该病例由专家 ${c.reviewer} 核查，只能由其出具结论`);
  const dims = await repo.listDimensions(ctx.tx, true);
  const byCode = new Map(dims.map((d) => [d.code, d]));
  const seen = new Set<string>();
  b.findings.forEach((f, i) => {
    if (!byCode.has(f.dimension)) throw invalid(`findings[${i}].dimension`, `核查维度「${f.dimension}」不存在或已停用`);
    if (seen.has(f.dimension)) throw invalid(`findings[${i}].dimension`, `核查维度「${byCode.get(f.dimension)!.title}」重复填写`);
    if (f.result === 'issue' && !f.note?.trim()) throw invalid(`findings[${i}].note`, `「${byCode.get(f.dimension)!.title}」存在问题时须写明问题`);
    seen.add(f.dimension);
  });
  const missing = dims.filter((d) => !seen.has(d.code));
  if (missing.length) throw invalid('findings', `请完成全部核查维度：缺少${missing.map((d) => `「${d.title}」`).join('')}`);
  const findings = b.findings.map((f) => ({
    dimensionCode: f.dimension,
    dimensionTitle: byCode.get(f.dimension)!.title,
    result: f.result,
    note: f.note?.trim() || null,
  }));
  await repo.insertFindings(ctx.tx, c, findings);
  await repo.conclude(ctx.tx, id, b.conclusion, b.note.trim());
  ctx.audit.write({
    action: 'fee_review.case.conclude',
    objectType: 'fr_case',
    objectId: id,
    districtCode: c.districtCode,
    before: { status: c.status },
    after: { status: to, conclusion: b.conclusion, note: b.note.trim(), findings: findings.map((f) => [f.dimensionCode, f.result]) },
  });
  return getCase(ctx, id, { audit: false });
}

export const startReviewRoute = defineRoute({
  method: 'POST',
  url: '/fee-review/cases/:id/start-review',
  summary: '专家开始核查费用偏离病例',
  auth: 'staff',
  permission: 'fee-review.review',
  params: IdParams,
  response: { 200: FeeCaseDetail },
  handler: (ctx, { params }) => startReview(ctx, params.id),
});

export const concludeRoute = defineRoute({
  method: 'POST',
  url: '/fee-review/cases/:id/conclude',
  summary: '专家按核查维度记录意见并出具结论',
  auth: 'staff',
  permission: 'fee-review.review',
  params: IdParams,
  body: ConcludeBody,
  response: { 200: FeeCaseDetail },
  handler: (ctx, { params, body }) => concludeReview(ctx, params.id, body),
});
