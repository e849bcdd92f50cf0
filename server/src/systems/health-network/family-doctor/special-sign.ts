import type { ServiceContext } from '../../../platform/service-context.ts';
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../../platform/http/errors.ts';
import { defineRoute, fileResult } from '../../../platform/http/route.ts';
import { enumOf, FileResponse, IdParams } from '../../../platform/http/schema.ts';
import { contractById } from './repository.ts';
import { SignBody, signContract } from './sign.ts';
import { invalid, operator } from './shapes.ts';
import { Attachments, SignResult } from './responses.ts';

/**
 * 特殊原因新签: a resident whose case the plain rules refuse (a valid contract elsewhere after moving
 * house, the change of doctor used up this change-sign year …) signs anew with a proof attachment. The
 * existing contract, if any, ends (initiator resident, reason with the special case), both are tagged.
 * Community admins and above only.
 */
export const SPECIAL_REASONS = ['relocation', 'family', 'doctor_unavailable', 'other'] as const;
export const SPECIAL_REASON_NAMES: Record<(typeof SPECIAL_REASONS)[number], string> = {
  relocation: '居住地变更',
  family: '家庭原因（随家属签约等）',
  doctor_unavailable: '原家庭医生无法继续服务',
  other: '其他特殊原因',
};
const PROOF_TYPES: Record<string, string> = { 'application/pdf': '%PDF', 'image/png': '\x89PNG', 'image/jpeg': '\xff\xd8\xff' };
const MAX_PROOF = 2 * 1024 * 1024;

export const SpecialSignBody = Type.Object(
  {
    ...SignBody.properties,
    specialReason: enumOf(SPECIAL_REASONS),
    specialReasonText: Type.String({ minLength: 2, maxLength: 200 }),
    proof: Type.Object(
      {
        filename: Type.String({ minLength: 1, maxLength: 100 }),
        mime: Type.String({ maxLength: 50 }),
        contentBase64: Type.String({ maxLength: Math.ceil((MAX_PROOF * 4) / 3) + 16 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** The proof must be a PDF, PNG or JPEG of at most 2 MB whose content is what its type says. */
export function decodeProof(p: typeof SpecialSignBody.static.proof): Buffer {
  const magic = PROOF_TYPES[p.mime];
  if (!magic) throw invalid([{ field: 'proof.mime', message: '证明材料须为 PDF、PNG 或 JPEG 文件' }]);
  if (!p.contentBase64) throw invalid([{ field: 'proof.contentBase64', message: '请上传特殊原因证明材料' }]);
  const buf = Buffer.from(p.contentBase64, 'base64');
  if (buf.length === 0) throw invalid([{ field: 'proof.contentBase64', message: '请上传特殊原因证明材料' }]);
  if (buf.length > MAX_PROOF) throw invalid([{ field: 'proof.contentBase64', message: '证明材料不能超过 2 MB' }]);
  if (!buf.subarray(0, magic.length).equals(Buffer.from(magic, 'latin1')))
    throw invalid([{ field: 'proof.contentBase64', message: '证明材料内容与文件类型不符' }]);
  return buf;
}

export async function specialSign(ctx: ServiceContext, b: typeof SpecialSignBody.static): Promise<SignResult> {
  const proof = decodeProof(b.proof);
  const { specialReason, specialReasonText, proof: _p, ...sign } = b;
  const reason = `特殊原因新签：${SPECIAL_REASON_NAMES[specialReason]}（${specialReasonText}）`;
  const r = await signContract(ctx, sign, {
    tag: '特殊原因新签',
    endReason: reason,
    initiator: 'resident',
    detail: { specialReason, specialReasonText, proofFile: b.proof.filename },
  });
  const c = await contractById(ctx.tx, r.id);
  if (!c) throw notFound();
  await ctx.tx.query(
    `insert into fd_attachment (contract_id, kind, filename, mime, content, sha256, uploaded_by, uploaded_by_name, district_code, street_code, institution_id, team_id, doctor_id)
     values ($1, 'special_proof', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      c.id,
      b.proof.filename,
      b.proof.mime,
      proof,
      createHash('sha256').update(proof).digest('hex'),
      operator(ctx).operator_id,
      operator(ctx).operator_name,
      c.district_code,
      c.street_code,
      c.institution_id,
      c.team_id,
      c.doctor_id,
    ],
  );
  return r;
}

export const specialSignRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/contracts/special',
  summary: '特殊原因新签（附证明材料）',
  description: '社区管理员及以上办理；居民已有有效签约时，原签约以“特殊原因新签”解约。证明材料：PDF/PNG/JPEG，不超过 2 MB。',
  auth: 'staff',
  permission: 'family-doctor.special',
  body: SpecialSignBody,
  successStatus: 201,
  response: { 201: SignResult },
  handler: (ctx, { body }) => specialSign(ctx, body),
});

export const attachmentsRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/contracts/:id/attachments',
  summary: '签约的证明材料',
  auth: 'staff',
  permission: 'family-doctor.read',
  params: IdParams,
  response: { 200: Attachments },
  handler: async (ctx, { params }) => {
    const rows = await ctx.tx.query<{
      id: number;
      kind: string;
      filename: string;
      mime: string;
      size: number;
      uploaded_by_name: string | null;
      uploaded_at: Date;
    }>('select id, kind, filename, mime, length(content) as size, uploaded_by_name, uploaded_at from fd_attachment where contract_id = $1 order by id', [
      params.id,
    ]);
    return {
      items: rows.map((r) => ({
        id: Number(r.id),
        kind: r.kind,
        filename: r.filename,
        mime: r.mime,
        size: r.size,
        uploadedByName: r.uploaded_by_name,
        uploadedAt: r.uploaded_at,
      })),
    };
  },
});

export const attachmentFileRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/attachments/:id',
  summary: '下载证明材料',
  auth: 'staff',
  permission: 'family-doctor.read',
  params: IdParams,
  response: { 200: FileResponse },
  handler: async (ctx, { params }) => {
    const [a] = await ctx.tx.query<{ id: number; contract_id: number; filename: string; mime: string; content: Buffer | Uint8Array }>(
      'select * from fd_attachment where id = $1',
      [params.id],
    );
    if (!a) throw notFound('证明材料不存在或不在您的数据权限范围内');
    ctx.audit.read({ action: 'family-doctor.attachment-download', objectType: 'fd_attachment', objectId: a.id, note: `下载证明材料（签约 ${a.contract_id}）` });
    return fileResult(a.mime, a.filename, Buffer.from(a.content));
  },
});
