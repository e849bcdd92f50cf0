import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { fieldError, forbidden, notFound } from '../../../platform/http/errors.ts';
import { defineRoute, fileResult, noContent } from '../../../platform/http/route.ts';
import { FileResponse, IdParams } from '../../../platform/http/schema.ts';
import { getInstitution } from '../../common/master-data/service.ts';
import { scopeCovers } from '../../../platform/scope/scope.ts';
import { SealSaved } from './responses.ts';

/** 社区信息 · 公章图片: a PNG per community health service centre (latest wins), kept for agreements and prints. */
const MAX_BYTES = 512 * 1024;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodeSeal(b64: string): Buffer {
  const raw = b64.replace(/^data:image\/png;base64,/, '').replace(/\s+/g, '');
  const buf = /^[A-Za-z0-9+/]+=*$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
  if (buf.length < 40 || buf.length > MAX_BYTES || !buf.subarray(0, 8).equals(PNG))
    throw fieldError('imageBase64', '公章须为 PNG 图片（base64 编码），不超过 512 KB');
  return buf;
}

export const putSealRoute = defineRoute({
  method: 'PUT',
  url: '/fd-people/institutions/:id/seal',
  summary: '上传社区卫生服务中心公章图片',
  auth: 'staff',
  permission: 'fd-people.manage',
  params: IdParams,
  body: Type.Object({ imageBase64: Type.String({ minLength: 16, maxLength: Math.ceil((MAX_BYTES * 4) / 3) + 64 }) }, { additionalProperties: false }),
  response: { 200: SealSaved },
  handler: async (ctx, { params, body }) => {
    const inst = await getInstitution(ctx, params.id);
    if (inst?.kind !== 'chc') throw notFound('社区卫生服务中心不存在');
    if (!scopeCovers(ctx.principal.scope, { district: inst.districtCode, street: inst.streetCode, institution: inst.id, team: null, doctor: null }))
      throw forbidden('只能维护本机构（或辖区内机构）的公章');
    const img = decodeSeal(body.imageBase64);
    const sha256 = createHash('sha256').update(img).digest('hex');
    const r = (
      await ctx.tx.query<{ id: number }>(
        'insert into fdp_community_seal (institution_id, image, sha256, uploaded_by, district_code, street_code) values ($1, $2, $3, $4, $5, $6) returning id',
        [inst.id, img, sha256, ctx.principal.displayName || ctx.principal.username, inst.districtCode, inst.streetCode],
      )
    )[0]!;
    ctx.audit.write({ action: 'fd-people.seal', objectType: 'institution', objectId: inst.id, after: { sealId: Number(r.id), sha256 } });
    return { sealId: Number(r.id), sha256 };
  },
});

export const getSealRoute = defineRoute({
  method: 'GET',
  url: '/fd-people/institutions/:id/seal',
  summary: '社区卫生服务中心公章图片（PNG）',
  auth: 'staff',
  permission: 'fd-people.read',
  params: IdParams,
  response: { 200: FileResponse },
  handler: async (ctx, { params }) => {
    const [r] = await ctx.tx.query<{ image: Buffer | Uint8Array }>('select image from fdp_community_seal where institution_id = $1 order by id desc limit 1', [
      params.id,
    ]);
    if (!r) return noContent(); // not uploaded yet: the page shows 尚未上传
    return fileResult('image/png', `seal-${params.id}.png`, Buffer.from(r.image));
  },
});
