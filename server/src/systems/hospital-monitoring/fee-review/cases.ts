import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { decodeBase64File, documentKind, extractText, MAX_DOCUMENT_BYTES } from '../../../platform/documents/index.ts';
import { AppError, conflict, forbidden, notFound } from '../../../platform/http/errors.ts';
import { defineRoute, fileResult } from '../../../platform/http/route.ts';
import { enumOf, FileResponse, Id, IdParams, pageOf, Paging } from '../../../platform/http/schema.ts';
import * as repo from './repository.ts';
import { splitSections } from './sections.ts';
import { allowedActions, CASE_STATUSES, CONCLUSION_TITLE, FINDING_TITLE, STATUS_TITLE } from './state.ts';
import { type FeeCase, FeeCaseDetail, FeeCaseList } from './responses.ts';

const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', maxLength: 7 });

export const UploadBody = Type.Object(
  {
    caseNo: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }),
    /** A masked name only (王*明): the full name never leaves the hospital through this form. */
    patientMask: Type.Optional(Type.String({ maxLength: 10, pattern: '^[^*]{1,3}\\*{1,3}[^*]{0,2}$' })),
    dischargedOn: Type.Optional(Type.String({ format: 'date', maxLength: 10 })),
    totalAmount: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000_000 })),
    deviationKind: Type.Optional(enumOf(['high', 'low'] as const)),
    explanation: Type.String({ minLength: 1, maxLength: 5000 }),
    filename: Type.String({ minLength: 1, maxLength: 200 }),
    contentBase64: Type.String({ minLength: 1, maxLength: Math.ceil((MAX_DOCUMENT_BYTES * 4) / 3) + 100 }),
  },
  { additionalProperties: false },
);

/**
 * A hospital uploads one case: the PDF is read (text, sections by heading) and stored whole for the
 * experts. The institution is the uploader's own — never a field of the form.
 */
export async function uploadCase(ctx: ServiceContext, b: typeof UploadBody.static) {
  const inst = ctx.principal.scope.level === 'institution' ? ctx.principal.scope.institutionId : undefined;
  if (!inst) throw forbidden('仅医疗机构用户可上传费用偏离病例');
  if (documentKind(b.filename) !== 'pdf')
    throw new AppError(400, 'VALIDATION_FAILED', '病例文件须为 PDF', [{ field: 'filename', message: '病例文件须为 PDF' }]);
  const district = await repo.institutionDistrict(ctx.tx, inst);
  if (!district) throw notFound('所属医疗机构不存在');
  const caseNo = b.caseNo.trim();
  if (await repo.openCaseExists(ctx.tx, inst, caseNo)) throw conflict(`病案号 ${caseNo} 已有未结论的核查，请勿重复上传`);
  const pdf = decodeBase64File(b.contentBase64);
  const doc = await extractText(pdf, b.filename);
  const sections = splitSections(doc.text, await repo.listSectionDefs(ctx.tx, true));
  const id = await repo.insertCase(ctx.tx, {
    institutionId: inst,
    districtCode: district,
    caseNo,
    patientMask: b.patientMask ?? null,
    dischargedOn: b.dischargedOn ?? null,
    totalAmount: b.totalAmount ?? null,
    deviationKind: b.deviationKind ?? null,
    explanation: b.explanation.trim(),
    filename: b.filename.trim(),
    pdf,
    pageCount: doc.pages?.length ?? null,
    text: doc.text,
    sections,
    uploadedBy: ctx.principal.username,
  });
  ctx.audit.write({
    action: 'fee_review.case.upload',
    objectType: 'fr_case',
    objectId: id,
    districtCode: district,
    after: { caseNo, filename: b.filename, bytes: pdf.length, pages: doc.pages?.length ?? null, sections: sections.map((s) => s.code) },
  });
  return getCase(ctx, id, { audit: false });
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const summary = (r: repo.CaseRow): FeeCase => ({
  ...r,
  uploadedAt: r.uploadedAt.toISOString(),
  reviewStartedAt: iso(r.reviewStartedAt),
  concludedAt: iso(r.concludedAt),
  statusTitle: STATUS_TITLE[r.status],
  conclusionTitle: r.conclusion ? CONCLUSION_TITLE[r.conclusion] : null,
  sections: r.sections.map((s) => ({ code: s.code, title: s.title })),
});

export const CaseListQuery = Type.Object(
  {
    status: Type.Optional(enumOf(CASE_STATUSES)),
    institutionId: Type.Optional(Id),
    month: Type.Optional(Month),
    caseNo: Type.Optional(Type.String({ maxLength: 40 })),
    ...Paging,
  },
  { additionalProperties: false },
);

/** Cases in the caller's scope (RLS: a hospital sees its own), newest first; no file contents. */
export async function listCases(ctx: ServiceContext, q: typeof CaseListQuery.static) {
  const { rows, total } = await repo.listCases(ctx.tx, q, pageOf(q));
  return { items: rows.map(summary), total };
}

/**
 * One case with its sections' text, the findings, the active check dimensions and the caller's next
 * action. Reading the case file's text is a read of health data: audited.
 */
export async function getCase(ctx: ServiceContext, id: number, opts: { audit: boolean } = { audit: true }): Promise<FeeCaseDetail> {
  const r = await repo.findCase(ctx.tx, id);
  if (!r) throw notFound('病例不存在或不在您的数据权限范围内');
  const [text, findings, dimensions] = await Promise.all([repo.caseText(ctx.tx, id), repo.listFindings(ctx.tx, id), repo.listDimensions(ctx.tx, true)]);
  if (opts.audit)
    ctx.audit.read({ action: 'fee_review.case.read', objectType: 'fr_case', objectId: id, districtCode: r.districtCode, note: `病案号 ${r.caseNo}` });
  return {
    ...summary(r),
    sections: r.sections.map((s) => ({ ...s, text: text.slice(s.start, s.end).trim() })),
    textLength: text.length,
    findings: findings.map((f) => ({ ...f, resultTitle: FINDING_TITLE[f.result] })),
    dimensions,
    actions: allowedActions(ctx.principal, r.status, r.reviewer),
  };
}

export async function downloadPdf(ctx: ServiceContext, id: number) {
  const r = await repo.findCase(ctx.tx, id);
  const f = r && (await repo.casePdf(ctx.tx, id));
  if (!r || !f) throw notFound('病例不存在或不在您的数据权限范围内');
  ctx.audit.read({ action: 'fee_review.case.download', objectType: 'fr_case', objectId: id, districtCode: r.districtCode, note: `下载病例文件 ${r.caseNo}` });
  return fileResult('application/pdf', f.filename, f.pdf);
}

export const uploadCaseRoute = defineRoute({
  method: 'POST',
  url: '/fee-review/cases',
  summary: '医院上传费用偏离病例（PDF，Base64）及情况说明',
  auth: 'staff',
  permission: 'fee-review.upload',
  body: UploadBody,
  successStatus: 201,
  response: { 201: FeeCaseDetail },
  handler: (ctx, { body }) => uploadCase(ctx, body),
});

export const listCasesRoute = defineRoute({
  method: 'GET',
  url: '/fee-review/cases',
  summary: '费用偏离病例列表：按状态、机构、上传月份、病案号筛选',
  auth: 'staff',
  permission: 'fee-review.read',
  querystring: CaseListQuery,
  response: { 200: FeeCaseList },
  handler: (ctx, { query }) => listCases(ctx, query),
});

export const getCaseRoute = defineRoute({
  method: 'GET',
  url: '/fee-review/cases/:id',
  summary: '费用偏离病例详情（分章节文字、核查结果；调阅留痕）',
  auth: 'staff',
  permission: 'fee-review.read',
  params: IdParams,
  response: { 200: FeeCaseDetail },
  handler: (ctx, { params }) => getCase(ctx, params.id),
});

export const downloadPdfRoute = defineRoute({
  method: 'GET',
  url: '/fee-review/cases/:id/pdf',
  summary: '下载病例 PDF（调阅留痕）',
  auth: 'staff',
  permission: 'fee-review.read',
  params: IdParams,
  response: { 200: FileResponse },
  handler: (ctx, { params }) => downloadPdf(ctx, params.id),
});
