import { Type } from '@sinclair/typebox';
import { AppError, fieldError, forbidden } from '../../../platform/http/errors.ts';
import type { RequestContext } from '../../../platform/http/context.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { Id } from '../../../platform/http/schema.ts';
import { getInstitution } from '../../common/master-data/service.ts';
import { scopeCovers } from '../../../platform/scope/scope.ts';
import { type IngestResult, ingestFile, openBatch } from './ingest.ts';
import { MAX_DOCUMENT_BYTES } from '../../../platform/documents/index.ts';
import { UploadResult } from './responses.ts';

// A console upload travels as Base64 in JSON and must fit the request body limit (10 MiB by default),
// so it is capped like every other document upload; large batches go over FTP (10 MiB per file).
const MAX_UPLOAD_BYTES = MAX_DOCUMENT_BYTES;

export const UploadBody = Type.Object(
  {
    fileName: Type.String({ minLength: 1, maxLength: 200, description: '按命名规范：<身份证号>_<HA|PE>_<YYYYMMDD>_<签名医生编号>.pdf' }),
    contentBase64: Type.String({ minLength: 1, maxLength: Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 4, description: 'PDF 文件内容（Base64，≤ 7 MB）' }),
    signedBy: Type.Integer({ minimum: 1, description: '审核并签名的医生（医务人员编号）' }),
    reviewed: Type.Boolean({ description: '签名医生已审核报告内容并签名' }),
    institutionId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

/**
 * 单份上传 (side path): the reviewing doctor confirms review and signature, then the file is checked
 * exactly like an FTP batch file and recorded — archived or rejected with the reason (a rejection is a
 * recorded result, 201, not an error). A family doctor signs only in their own name.
 */
export async function uploadOne(ctx: RequestContext, b: typeof UploadBody.static): Promise<IngestResult & { batchId: number }> {
  if (b.reviewed !== true)
    throw new AppError(422, 'RULE_VIOLATION', '报告须经医生审核并签名后才能上传', [{ field: 'reviewed', message: '请确认已审核并签名' }]);
  const s = ctx.principal.scope;
  if (s.practitionerId != null && s.level === 'own' && b.signedBy !== s.practitionerId) throw forbidden('家庭医生只能以本人名义审核签名');
  const institutionId = s.institutionId ?? b.institutionId;
  if (institutionId == null) throw fieldError('institutionId', '请选择上传机构（社区卫生服务中心）');
  if (s.institutionId != null && b.institutionId != null && b.institutionId !== s.institutionId) throw forbidden('只能为本机构上传报告');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b.contentBase64)) throw fieldError('contentBase64', '文件内容不是有效的 Base64');
  const content = Buffer.from(b.contentBase64, 'base64');
  const inst = await getInstitution(ctx, institutionId);
  if (!(inst?.kind === 'chc' && inst.active)) throw fieldError('institutionId', '上传机构须为在用的社区卫生服务中心');
  const teamId = s.level === 'team' ? (s.teamId ?? null) : null;
  const doctorId = s.level === 'own' ? (s.practitionerId ?? null) : null;
  // The batch is the uploader's: refuse a centre the caller could not see the records of afterwards.
  if (!scopeCovers(s, { district: inst.districtCode, street: inst.streetCode, institution: inst.id, team: teamId, doctor: doctorId }))
    throw forbidden('只能为本机构（或辖区内机构）上传报告');
  const who = ctx.principal.displayName || ctx.principal.username;
  const batch = await openBatch(ctx, { channel: 'web', institutionId, accountId: null, uploadedBy: who, teamId, doctorId });
  const r = await ingestFile({ tx: ctx.tx, kernel: ctx.kernel, audit: ctx.audit, scope: s }, batch, {
    fileName: b.fileName,
    content,
    signedBy: b.signedBy,
    signedAt: new Date(),
  });
  return { ...r, batchId: batch.id };
}

export const uploadRoute = defineRoute({
  method: 'POST',
  url: '/health-assessment/uploads',
  summary: '单份上传健康评估/体检报告（医生审核签名后）',
  description: '校验同 FTP 批量上传：合格的归档并关联居民签约，不合格的记录原因（均返回 201 及结果）。',
  auth: 'staff',
  permission: 'health-assessment.upload',
  body: UploadBody,
  successStatus: 201,
  response: { 201: UploadResult },
  handler: (ctx, { body }) => uploadOne(ctx, body),
});
