import type { ServiceContext } from '../../../platform/service-context.ts';
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { forbidden, notFound } from '../../../platform/http/errors.ts';
import { defineRoute, fileResult, noContent } from '../../../platform/http/route.ts';
import { renderPdf } from '../../../platform/reports/index.ts';
import { FileResponse, IdParams } from '../../../platform/http/schema.ts';
import { getPractitioner } from '../../common/master-data/service.ts';
import { generateAgreement } from './agreement.ts';
import { contractById } from './repository.ts';
import { invalid, NOT_FOUND, operator } from './shapes.ts';
import { scopeCovers } from '../../../platform/scope/scope.ts';
import { DoctorSignatureSaved, ResidentSignatureSaved } from './responses.ts';

/**
 * Signature images: the doctor's (per practitioner) and the resident's e-signature (per contract), PNG
 * uploaded as base64. A new image is a new row; the agreements are regenerated with it.
 */

const MAX_BYTES = 512 * 1024;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const SignatureBody = Type.Object(
  {
    imageBase64: Type.String({
      minLength: 16,
      maxLength: Math.ceil((MAX_BYTES * 4) / 3) + 64,
      description: 'PNG 图片（base64，可带 data:image/png;base64, 前缀），不超过 512 KB',
    }),
  },
  { additionalProperties: false },
);

/** Decodes and checks the upload: a PNG that the PDF renderer can draw (else 400). */
export async function decodePng(b64: string): Promise<Buffer> {
  const raw = b64.replace(/^data:image\/png;base64,/, '').replace(/\s+/g, '');
  const bad = () => invalid([{ field: 'imageBase64', message: '签名须为 PNG 图片（base64 编码），不超过 512 KB' }]);
  if (!/^[A-Za-z0-9+/]+=*$/.test(raw)) throw bad();
  const buf = Buffer.from(raw, 'base64');
  if (buf.length > MAX_BYTES || buf.length < 40 || !buf.subarray(0, 8).equals(PNG_MAGIC)) throw bad();
  try {
    // The renderer is the judge: an image it cannot draw would break every later agreement.
    await renderPdf({ title: 'check', blocks: [{ kind: 'image', data: buf, width: 40 }] });
  } catch {
    throw invalid([{ field: 'imageBase64', message: '签名图片无法识别，请重新上传 PNG 图片' }]);
  }
  return buf;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** 医生签名: the doctor in person, or an admin whose scope covers the doctor's centre. Agreements of the doctor's active contracts are regenerated. */
export async function putDoctorSignature(ctx: ServiceContext, practitionerId: number, b: typeof SignatureBody.static) {
  const p = await getPractitioner(ctx, practitionerId);
  if (!p) throw notFound('医生不存在');
  if (!scopeCovers(ctx.principal.scope, { district: p.districtCode, street: p.streetCode, institution: p.institutionId, team: null, doctor: p.id })) {
    throw forbidden('只能维护本人或本机构医生的签名');
  }
  if (!p.isFamilyDoctor) throw invalid([{ field: 'id', message: '只有家庭医生需要维护签约协议签名' }]);
  const img = await decodePng(b.imageBase64);
  const s = (
    await ctx.tx.query<{ id: number }>(
      `insert into fd_signature (kind, practitioner_id, image, sha256, uploaded_by, uploaded_by_name, district_code, street_code, institution_id, doctor_id)
     values ('doctor', $1, $2, $3, $4, $5, $6, $7, $8, $1) returning id`,
      [p.id, img, sha256(img), operator(ctx).operator_id, operator(ctx).operator_name, p.districtCode, p.streetCode, p.institutionId],
    )
  )[0]!;
  // Set-based: the latest agreement of each of the doctor's active contracts (that the caller sees) again, with the new signature.
  const regenerated = await ctx.tx.query<{ contract_id: number }>(
    `insert into fd_agreement (contract_id, person_id, seq, cycle_start, cycle_end, template_id, reason, snapshot, doctor_signature_id, resident_signature_id,
       created_by, created_by_name, district_code, street_code, institution_id, team_id, doctor_id)
     select a.contract_id, a.person_id, a.seq + 1, a.cycle_start, a.cycle_end, a.template_id, 'signature_update', a.snapshot, $2, a.resident_signature_id,
            $3, $4, c.district_code, c.street_code, c.institution_id, c.team_id, c.doctor_id
       from fd_contract c
       join fd_agreement a on a.contract_id = c.id and a.seq = (select max(x.seq) from fd_agreement x where x.contract_id = c.id)
      where c.doctor_id = $1 and c.status = 'active'
     returning contract_id`,
    [p.id, s.id, operator(ctx).operator_id, operator(ctx).operator_name],
  );
  ctx.audit.write({
    action: 'family-doctor.doctor-signature',
    objectType: 'practitioner',
    objectId: p.id,
    after: { signatureId: Number(s.id), sha256: sha256(img), agreementsRegenerated: regenerated.length },
  });
  return { signatureId: Number(s.id), agreementsRegenerated: regenerated.length };
}

/** 居民电子签名 for a contract: stored, then the agreement is regenerated with it. */
export async function putResidentSignature(ctx: ServiceContext, contractId: number, b: typeof SignatureBody.static) {
  const c = await contractById(ctx.tx, contractId, true);
  if (!c) throw notFound(NOT_FOUND);
  if (c.status !== 'active') throw invalid([{ field: 'id', message: '已解约的签约不能更新居民签名' }]);
  const img = await decodePng(b.imageBase64);
  const s = (
    await ctx.tx.query<{ id: number }>(
      `insert into fd_signature (kind, contract_id, image, sha256, uploaded_by, uploaded_by_name, district_code, street_code, institution_id, team_id, doctor_id)
     values ('resident', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
      [
        c.id,
        img,
        sha256(img),
        operator(ctx).operator_id,
        operator(ctx).operator_name,
        c.district_code,
        c.street_code,
        c.institution_id,
        c.team_id,
        c.doctor_id,
      ],
    )
  )[0]!;
  const a = await generateAgreement(ctx, c, 'signature_update');
  ctx.audit.write({
    action: 'family-doctor.resident-signature',
    objectType: 'fd_contract',
    objectId: c.id,
    after: { signatureId: Number(s.id), sha256: sha256(img), agreementId: a.id, seq: a.seq },
  });
  return { signatureId: Number(s.id), agreementId: a.id, seq: a.seq };
}

async function image(ctx: ServiceContext, kind: 'doctor' | 'resident', id: number) {
  const col = kind === 'doctor' ? 'practitioner_id' : 'contract_id';
  const [r] = await ctx.tx.query<{ id: number; image: Buffer | Uint8Array }>(
    `select id, image from fd_signature where kind = $1 and ${col} = $2 order by id desc limit 1`,
    [kind, id],
  );
  return r ? { id: Number(r.id), image: Buffer.from(r.image) } : null;
}

export const putDoctorSignatureRoute = defineRoute({
  method: 'PUT',
  url: '/family-doctor/practitioners/:id/signature',
  summary: '上传家庭医生签名图片',
  description: '本人或覆盖其所在机构的管理员；上传后该医生有效签约的协议书重新生成。',
  auth: 'staff',
  permission: 'family-doctor.sign',
  params: IdParams,
  body: SignatureBody,
  response: { 200: DoctorSignatureSaved },
  handler: (ctx, { params, body }) => putDoctorSignature(ctx, params.id, body),
});

export const getDoctorSignatureRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/practitioners/:id/signature',
  summary: '家庭医生签名图片（PNG）',
  auth: 'staff',
  permission: 'family-doctor.read',
  params: IdParams,
  response: { 200: FileResponse },
  handler: async (ctx, { params }) => {
    const s = await image(ctx, 'doctor', params.id);
    if (!s) return noContent(); // not uploaded (or outside the scope): the page shows 尚未上传
    return fileResult('image/png', `signature-${params.id}.png`, s.image);
  },
});

export const putResidentSignatureRoute = defineRoute({
  method: 'PUT',
  url: '/family-doctor/contracts/:id/resident-signature',
  summary: '上传/更新居民电子签名',
  description: '上传后重新生成协议书。',
  auth: 'staff',
  permission: 'family-doctor.sign',
  params: IdParams,
  body: SignatureBody,
  response: { 200: ResidentSignatureSaved },
  handler: (ctx, { params, body }) => putResidentSignature(ctx, params.id, body),
});

export const getResidentSignatureRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/contracts/:id/resident-signature',
  summary: '居民电子签名图片（PNG）',
  auth: 'staff',
  permission: 'family-doctor.read',
  params: IdParams,
  response: { 200: FileResponse },
  handler: async (ctx, { params }) => {
    const s = await image(ctx, 'resident', params.id);
    if (!s) throw notFound('尚未上传居民签名或不在您的数据权限范围内');
    ctx.audit.read({ action: 'family-doctor.resident-signature-view', objectType: 'fd_contract', objectId: params.id, note: '查看居民电子签名' });
    return fileResult('image/png', `resident-signature-${params.id}.png`, s.image);
  },
});
