import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { generatePassword, hashPassword, verifyPassword, dummyPasswordHash } from '../../../platform/auth/password.ts';
import { forbidden, notFound, fieldError } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { Id, IdParams } from '../../../platform/http/schema.ts';
import { getInstitution } from '../../common/master-data/service.ts';
import { scopeCovers } from '../../../platform/scope/scope.ts';
import { NAMING_RULE } from './naming.ts';
import * as repo from './repository.ts';
import { FtpAccount, FtpAccountIssued, FtpAccounts } from './responses.ts';

/**
 * FTP accounts (one per 社区卫生服务中心), issued by the platform: the user name is derived from the centre
 * code, the password is generated, shown once, and stored only as an argon2id hash. Issuing again
 * replaces the password. Each account sees only its own folder on the FTP server.
 */
export type AccountDto = FtpAccount;

const iso = (v: Date | string | null) => (v == null ? null : v instanceof Date ? v.toISOString() : v);

async function toDto(ctx: { tx: Queryable }, a: repo.AccountRow): Promise<AccountDto> {
  const inst = await getInstitution(ctx, a.institution_id);
  return {
    id: a.id,
    institutionId: a.institution_id,
    institutionName: inst?.name ?? null,
    username: a.username,
    active: a.active,
    issuedBy: a.issued_by,
    issuedAt: iso(a.issued_at) as string,
    lastLoginAt: iso(a.last_login_at),
  };
}

export function usernameFor(code: string, id: number): string {
  const clean = code.toLowerCase().replace(/[^a-z0-9]/g, '');
  return `ha_${clean || id}`.slice(0, 40).padEnd(4, '0');
}

export function ftpEndpoint(): { host: string; port: number | null } {
  const port = Number(process.env.WEIJIAN_FTP_PORT);
  return { host: process.env.WEIJIAN_FTP_PUBLIC_HOST ?? process.env.WEIJIAN_FTP_HOST ?? '127.0.0.1', port: Number.isInteger(port) && port > 0 ? port : null };
}

export async function issueAccount(ctx: ServiceContext, institutionId: number) {
  const inst = await getInstitution(ctx, institutionId);
  if (inst?.kind !== 'chc') throw fieldError('institutionId', 'FTP 账号只发给社区卫生服务中心');
  if (!scopeCovers(ctx.principal.scope, { district: inst.districtCode, street: inst.streetCode, institution: inst.id, team: null, doctor: null })) {
    throw forbidden('该机构不在您的数据权限范围内');
  }
  const password = generatePassword(16);
  const existing = await repo.accountByInstitution(ctx.tx, institutionId);
  const row = await repo.upsertAccount(ctx.tx, {
    institution_id: inst.id,
    username: existing?.username ?? usernameFor(inst.code, inst.id),
    password_hash: await hashPassword(password),
    district_code: inst.districtCode,
    street_code: inst.streetCode,
    issued_by: ctx.principal.displayName || ctx.principal.username,
  });
  ctx.audit.write({
    action: existing ? 'health-assessment.ftp-account.reset' : 'health-assessment.ftp-account.issue',
    objectType: 'ha_ftp_account',
    objectId: row.id,
    after: { institutionId: inst.id, username: row.username },
  });
  return { ...(await toDto(ctx, row)), password, ...ftpEndpoint(), namingRule: NAMING_RULE };
}

/** For the FTP server: the account when the password matches and the account is active (constant work either way). */
export async function checkFtpLogin(tx: Queryable, username: string, password: string): Promise<repo.AccountRow | null> {
  const a = /^[a-z0-9_]{4,40}$/.test(username) ? await repo.accountByUsername(tx, username) : null;
  const ok = await verifyPassword(a?.password_hash ?? (await dummyPasswordHash()), password);
  if (!a || !ok || !a.active) return null;
  await repo.touchLogin(tx, a.id);
  return a;
}

export const accountRoutes = [
  defineRoute({
    method: 'GET',
    url: '/health-assessment/ftp-accounts',
    summary: 'FTP 上传账号列表',
    auth: 'staff',
    permission: 'health-assessment.ftp.manage',
    response: { 200: FtpAccounts },
    handler: async (ctx) => {
      const rows = await repo.listAccounts(ctx.tx);
      const items: AccountDto[] = [];
      for (const r of rows) items.push(await toDto(ctx, r));
      return { items, ...ftpEndpoint(), namingRule: NAMING_RULE };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/health-assessment/ftp-accounts',
    summary: '发放（或重置）社区 FTP 上传账号：返回一次性明文密码',
    auth: 'staff',
    permission: 'health-assessment.ftp.manage',
    body: Type.Object({ institutionId: Id }, { additionalProperties: false }),
    successStatus: 201,
    response: { 201: FtpAccountIssued },
    handler: (ctx, { body }) => issueAccount(ctx, body.institutionId),
  }),
  defineRoute({
    method: 'POST',
    url: '/health-assessment/ftp-accounts/:id/disable',
    summary: '停用 FTP 上传账号',
    auth: 'staff',
    permission: 'health-assessment.ftp.manage',
    params: IdParams,
    response: { 200: FtpAccount },
    handler: async (ctx, { params }) => {
      const row = await repo.setAccountActive(ctx.tx, params.id, false);
      if (!row) throw notFound('FTP 账号不存在或不在您的数据权限范围内');
      ctx.audit.write({ action: 'health-assessment.ftp-account.disable', objectType: 'ha_ftp_account', objectId: row.id, after: { active: false } });
      return toDto(ctx, row);
    },
  }),
];
