import type { ServiceContext } from '../../../platform/service-context.ts';
import { randomInt } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { sm3Hex } from '../../../platform/crypto/index.ts';
import { forbidden, notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { Id, IdParams, Paging, pageOf } from '../../../platform/http/schema.ts';
import { getInstitution } from '../../common/master-data/service.ts';
import { getPeople } from '../../common/resident-index/service.ts';
import { SignBody, signContract } from './sign.ts';
import { invalid, Names, operator } from './shapes.ts';
import { scopeCovers } from '../../../platform/scope/scope.ts';
import { AuthCodePage, IssuedAuthCode, Revoked, SignResult } from './responses.ts';

/**
 * 授权码签约: for an emergency (the system refuses a signing the centre must make now) a community admin
 * issues a code for the centre, optionally for one resident, valid a few hours and usable once. Signing
 * with it ends an existing green or yellow contract by the system and tags both. Only the SM3 hash of the
 * code is stored; the code is shown once, at issue.
 */

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const newCode = () => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
const normal = (code: string) => code.trim().toUpperCase();
export const codeHash = (code: string) => sm3Hex(`fd-auth-code:${normal(code)}`);

export const IssueBody = Type.Object(
  {
    institutionId: Type.Optional(Id),
    personId: Type.Optional(Id),
    reason: Type.String({ minLength: 2, maxLength: 200 }),
    validHours: Type.Integer({ minimum: 1, maximum: 72 }),
  },
  { additionalProperties: false },
);

export async function issueAuthCode(ctx: ServiceContext, b: typeof IssueBody.static) {
  const s = ctx.principal.scope;
  const instId = b.institutionId ?? s.institutionId ?? null;
  if (instId == null) throw invalid([{ field: 'institutionId', message: '请选择签发授权码的社区卫生服务中心' }]);
  const inst = await getInstitution(ctx, instId);
  if (!(inst?.kind === 'chc' && inst.active)) throw invalid([{ field: 'institutionId', message: '授权码须由在用的社区卫生服务中心签发' }]);
  if (!scopeCovers(s, { district: inst.districtCode, street: inst.streetCode ?? null, institution: inst.id, team: null, doctor: null })) {
    throw forbidden('只能为本机构（或本辖区机构）签发授权码');
  }
  if (b.personId != null) {
    const p = (await getPeople(ctx, [b.personId])).get(b.personId);
    if (!p) throw notFound('居民不存在或不在您的数据权限范围内');
  }
  const code = newCode();
  const r = (
    await ctx.tx.query<{ id: number; expires_at: Date }>(
      `insert into fd_auth_code (code_hash, code_hint, institution_id, district_code, person_id, reason, expires_at, issued_by, issued_by_name)
     values ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7), $8, $9) returning id, expires_at`,
      [
        codeHash(code),
        code.slice(-2),
        inst.id,
        inst.districtCode,
        b.personId ?? null,
        b.reason,
        b.validHours,
        operator(ctx).operator_id,
        operator(ctx).operator_name,
      ],
    )
  )[0]!;
  ctx.audit.write({
    action: 'family-doctor.auth-code-issue',
    objectType: 'fd_auth_code',
    objectId: r.id,
    after: { institutionId: inst.id, personId: b.personId ?? null, reason: b.reason, expiresAt: r.expires_at },
  });
  return { id: Number(r.id), code, institutionId: inst.id, institutionName: inst.name, personId: b.personId ?? null, expiresAt: r.expires_at };
}

export const AuthCodeSignBody = Type.Object(
  { ...SignBody.properties, authCode: Type.String({ minLength: 4, maxLength: 20 }) },
  { additionalProperties: false },
);

const refuse = (message: string) => unprocessable(message, [{ field: 'authCode', message }]);

export async function signWithAuthCode(ctx: ServiceContext, b: typeof AuthCodeSignBody.static): Promise<SignResult> {
  const { authCode, ...sign } = b;
  const [c] = await ctx.tx.query<{
    id: number;
    institution_id: number;
    person_id: number | null;
    expires_at: Date;
    used_at: Date | null;
    revoked_at: Date | null;
    now: Date;
  }>('select l.*, now() as now from fd_auth_code_lookup($1) l', [codeHash(authCode)]);
  if (!c) throw refuse('授权码无效，请核对后重新输入');
  if (c.revoked_at) throw refuse('授权码已作废');
  if (c.used_at) throw refuse('授权码已使用，不能重复使用');
  if (new Date(c.expires_at) <= new Date(c.now)) throw refuse('授权码已过期，请重新申请');
  if (Number(c.institution_id) !== b.institutionId) throw refuse('该授权码不是所选签约社区签发的，不能用于该社区签约');
  if (c.person_id != null && Number(c.person_id) !== b.personId) throw refuse('该授权码只能用于指定的居民');
  const r = await signContract(ctx, sign, { tag: '授权码签约', endReason: '授权码签约（应急）', initiator: 'system', detail: { authCodeId: Number(c.id) } });
  const used = (
    await ctx.tx.query<{ ok: boolean }>('select fd_auth_code_consume($1, $2, $3, $4) as ok', [
      c.id,
      operator(ctx).operator_id,
      operator(ctx).operator_name,
      r.id,
    ])
  )[0]!;
  // Two signings racing for one code: the second finds it used and its whole transaction rolls back.
  if (!used.ok) throw refuse('授权码已使用，不能重复使用');
  return r;
}

interface CodeRow {
  id: number;
  code_hint: string;
  institution_id: number;
  person_id: number | null;
  reason: string;
  expires_at: Date;
  issued_by_name: string | null;
  issued_at: Date;
  used_at: Date | null;
  used_by_name: string | null;
  used_contract_id: number | null;
  revoked_at: Date | null;
  expired: boolean;
}

export const issueAuthCodeRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/auth-codes',
  summary: '签发授权码（应急签约）',
  description: '社区管理员为本中心签发，一次有效，1–72 小时内有效；可限定居民。授权码只在签发时显示一次。',
  auth: 'staff',
  permission: 'family-doctor.auth-code',
  body: IssueBody,
  successStatus: 201,
  response: { 201: IssuedAuthCode },
  handler: (ctx, { body }) => issueAuthCode(ctx, body),
});

export const listAuthCodesRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/auth-codes',
  summary: '授权码签发记录',
  auth: 'staff',
  permission: 'family-doctor.auth-code',
  querystring: Type.Object({ ...Paging }, { additionalProperties: false }),
  response: { 200: AuthCodePage },
  handler: async (ctx, { query }) => {
    const { limit, offset } = pageOf(query);
    const n = (await ctx.tx.query<{ n: number }>('select count(*)::int as n from fd_auth_code'))[0]!;
    const rows = await ctx.tx.query<CodeRow>('select *, expires_at <= now() as expired from fd_auth_code order by id desc limit $1 offset $2', [limit, offset]);
    const names = new Names(ctx);
    const items = [];
    for (const r of rows) {
      const status = r.revoked_at ? 'revoked' : r.used_at ? 'used' : r.expired ? 'expired' : 'valid';
      items.push({
        id: Number(r.id),
        codeHint: `******${r.code_hint}`,
        institutionId: Number(r.institution_id),
        institutionName: await names.institution(Number(r.institution_id)),
        personId: r.person_id == null ? null : Number(r.person_id),
        reason: r.reason,
        expiresAt: r.expires_at,
        issuedByName: r.issued_by_name,
        issuedAt: r.issued_at,
        usedAt: r.used_at,
        usedByName: r.used_by_name,
        usedContractId: r.used_contract_id == null ? null : Number(r.used_contract_id),
        status,
      });
    }
    return { total: n.n, items };
  },
});

export const revokeAuthCodeRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/auth-codes/:id/revoke',
  summary: '作废授权码',
  auth: 'staff',
  permission: 'family-doctor.auth-code',
  params: IdParams,
  response: { 200: Revoked },
  handler: async (ctx, { params }) => {
    const [r] = await ctx.tx.query<{ id: number }>(
      'update fd_auth_code set revoked_at = now() where id = $1 and used_at is null and revoked_at is null returning id',
      [params.id],
    );
    if (!r) throw unprocessable('授权码不存在、不在您的数据权限范围内，或已使用/已作废');
    ctx.audit.write({ action: 'family-doctor.auth-code-revoke', objectType: 'fd_auth_code', objectId: params.id });
    return { revoked: true };
  },
});

export const authCodeSignRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/contracts/by-auth-code',
  summary: '授权码签约（应急）',
  description: '授权码须由所选签约社区签发、未使用、未过期；限定居民的授权码只能用于该居民。',
  auth: 'staff',
  permission: 'family-doctor.sign',
  body: AuthCodeSignBody,
  successStatus: 201,
  response: { 201: SignResult },
  handler: (ctx, { body }) => signWithAuthCode(ctx, body),
});
