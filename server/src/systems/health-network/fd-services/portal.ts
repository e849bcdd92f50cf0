import type { ServiceContext } from '../../../platform/service-context.ts';
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { AuditInput } from '../../../platform/audit/event.ts';
import { sm3Hex } from '../../../platform/crypto/sm3.ts';
import { AppError, committed, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { registerSmsTemplate, SMS_GATEWAY } from '../../../platform/integration/adapters/sms-gateway.ts';
import { enqueueMessage } from '../../../platform/integration/outbox.ts';
import { openSealed } from '../../../platform/integration/sealed.ts';
import { findPersonByIdNumber, getPerson, type PersonView, revealResident } from '../../common/resident-index/service.ts';
import { activeContract, signUrl, summarize } from './contract-summary.ts';
import { CodeRequested, MyFamilyDoctor, PortalSession } from './responses.ts';

/**
 * 居民端 (mobile page /m/family-doctor) and 随申办服务协同 (partner API).
 *
 * How a resident signs in on the portal: ID number + name, then a one-time 6-digit code sent by SMS
 * (through the outbox to the SMS gateway) to the phone registered in the resident index. The code lives
 * 5 minutes, allows 5 attempts, and only its keyed digest is stored; at most 5 codes per resident per
 * hour. A correct code gives a 30-minute session token (header x-portal-token; only its SM3 digest is
 * stored). Whether an ID number exists is never revealed by the code request. 随申办 itself uses the
 * signed partner API below with its own authenticated user's ID number and name.
 */
export const CODE_MINUTES = 5;
export const CODE_ATTEMPTS = 5;
export const CODES_PER_HOUR = 5;
export const SESSION_MINUTES = 30;
const SMS_SYSTEM = SMS_GATEWAY;
const SMS_TOPIC = 'sms.fd-portal.code';
export const SMS_TEMPLATE = 'fd-portal.code';

registerSmsTemplate(
  SMS_TEMPLATE,
  (p) => `【上海市卫生健康委员会】您查询家庭医生签约信息的验证码为 ${openSealed(String(p.codeSealed))}，${p.minutes} 分钟内有效，请勿告知他人。`,
);

const IdNumber = Type.String({ minLength: 18, maxLength: 18, pattern: '^[0-9]{17}[0-9Xx]$', description: '居民身份证号码' });
const Name = Type.String({ minLength: 1, maxLength: 50 });

function residentActor(personId: number): NonNullable<AuditInput['actor']> {
  return { userId: null, username: `居民:${personId}`, role: 'resident' };
}

const codeDigest = (ctx: ServiceContext, personId: number, code: string) => ctx.kernel.keys.blindIndex(`${personId}:${code}`, 'fd-portal.code');

async function matchPerson(ctx: ServiceContext, idNumber: string, name: string): Promise<PersonView | null> {
  const p = await findPersonByIdNumber(ctx, 'resident_id', idNumber);
  return p && p.status === 'alive' && p.name === name.trim() ? p : null;
}

/** What the resident (or 随申办 for them) sees: the family doctor and the three institutions, or how to sign. */
export async function myFamilyDoctor(ctx: ServiceContext, p: PersonView): Promise<MyFamilyDoctor> {
  const c = await activeContract(ctx, p.id);
  const s = c ? await summarize(ctx, c) : null;
  if (s)
    return { signed: true, name: p.name, contract: s, signUrl: null, message: s.colour === 'yellow' ? '您的签约即将到期或已到期，请及时续约' : '签约有效' };
  return { signed: false, name: p.name, contract: null, signUrl: signUrl(), message: '您尚未签约家庭医生（或签约已失效），可在线签约' };
}

export const requestCodeRoute = defineRoute({
  method: 'POST',
  url: '/public/fd-portal/code',
  summary: '居民端：申请短信验证码（身份证号 + 姓名，发送至登记手机）',
  tags: ['居民端'],
  auth: 'public',
  body: Type.Object({ idNumber: IdNumber, name: Name }, { additionalProperties: false }),
  successStatus: 202,
  response: { 202: CodeRequested },
  handler: async (ctx, { body }) => {
    const reply = { sent: true, message: '如信息无误，验证码已发送至您在社区登记的手机，5 分钟内有效' };
    const p = await matchPerson(ctx, body.idNumber, body.name);
    if (!p?.phoneMasked) return reply;
    const { n } = (
      await ctx.tx.query<{ n: number }>(`select count(*)::int as n from fds_portal_code where person_id = $1 and created_at > now() - interval '1 hour'`, [
        p.id,
      ])
    )[0]!;
    if (n >= CODES_PER_HOUR) throw new AppError(429, 'TOO_MANY_REQUESTS', '验证码申请过于频繁，请 1 小时后再试');
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const row = (
      await ctx.tx.query<{ id: number }>(
        `insert into fds_portal_code (person_id, code_digest, expires_at, district_code) values ($1, $2, now() + make_interval(mins => $3), $4) returning id`,
        [p.id, codeDigest(ctx, p.id, code), CODE_MINUTES, p.residenceDistrict],
      )
    )[0]!;
    // The phone is taken from the resident index (an audited 调阅) and travels sealed, like the code
    // itself: the outbox and the dead-letter view show neither; the SMS adapter opens both when sending.
    const phone = (await revealResident(ctx, p.id, '居民端登录：短信验证码发送至登记手机')).phone;
    if (!phone) return reply;
    await enqueueMessage(ctx.tx, {
      system: SMS_SYSTEM,
      topic: SMS_TOPIC,
      key: `fd-portal-code:${row.id}`,
      districtCode: p.residenceDistrict,
      payload: {
        template: SMS_TEMPLATE,
        params: { codeSealed: ctx.kernel.keys.encryptField(code), minutes: CODE_MINUTES },
        phoneSealed: ctx.kernel.keys.encryptField(phone),
        ref: `fd-portal-code:${row.id}`,
      },
    });
    ctx.audit.write({ action: 'fd-portal.code', objectType: 'person', objectId: p.id, actor: residentActor(p.id), districtCode: p.residenceDistrict });
    return reply;
  },
});

const badCode = () => new AppError(401, 'UNAUTHORIZED', '验证码错误或已过期，请重新获取');

export const openSessionRoute = defineRoute({
  method: 'POST',
  url: '/public/fd-portal/session',
  summary: '居民端：以短信验证码登录，返回 30 分钟会话令牌',
  tags: ['居民端'],
  auth: 'public',
  body: Type.Object({ idNumber: IdNumber, name: Name, code: Type.String({ pattern: '^[0-9]{6}$', maxLength: 6 }) }, { additionalProperties: false }),
  successStatus: 201,
  response: { 201: PortalSession },
  handler: async (ctx, { body }) => {
    const p = await matchPerson(ctx, body.idNumber, body.name);
    if (!p) throw badCode();
    const [c] = await ctx.tx.query<{ id: number; code_digest: string; attempts: number }>(
      `select id, code_digest, attempts from fds_portal_code where person_id = $1 and used_at is null and expires_at > now() order by id desc limit 1 for update`,
      [p.id],
    );
    if (!c || c.attempts >= CODE_ATTEMPTS) throw badCode();
    const given = Buffer.from(codeDigest(ctx, p.id, body.code));
    const ok = given.length === c.code_digest.length && timingSafeEqual(given, Buffer.from(c.code_digest));
    if (!ok) {
      // The failed attempt must count even though the request fails: the transaction commits, then 401.
      await ctx.tx.query('update fds_portal_code set attempts = attempts + 1 where id = $1', [c.id]);
      throw committed(badCode());
    }
    await ctx.tx.query('update fds_portal_code set used_at = now() where id = $1', [c.id]);
    const token = randomBytes(32).toString('base64url');
    const s = (
      await ctx.tx.query<{ expires_at: Date }>(
        `insert into fds_portal_session (token_digest, person_id, expires_at, district_code) values ($1, $2, now() + make_interval(mins => $3), $4) returning expires_at`,
        [sm3Hex(token), p.id, SESSION_MINUTES, p.residenceDistrict],
      )
    )[0]!;
    ctx.audit.add({
      kind: 'auth',
      action: 'fd-portal.sign-in',
      objectType: 'person',
      objectId: p.id,
      actor: residentActor(p.id),
      districtCode: p.residenceDistrict,
    });
    return { token, expiresAt: s.expires_at };
  },
});

export const portalMeRoute = defineRoute({
  method: 'GET',
  url: '/public/fd-portal/me',
  summary: '居民端：我的家庭医生（签约医生与三家机构；未签约或红色显示签约入口）',
  tags: ['居民端'],
  auth: 'public',
  response: { 200: MyFamilyDoctor },
  handler: async (ctx) => {
    const h = ctx.headers['x-portal-token'];
    const token = typeof h === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(h) ? h : null;
    if (!token) throw new AppError(401, 'UNAUTHORIZED', '请先以短信验证码登录');
    const [s] = await ctx.tx.query<{ person_id: number }>('select person_id from fds_portal_session where token_digest = $1 and expires_at > now()', [
      sm3Hex(token),
    ]);
    if (!s) throw new AppError(401, 'UNAUTHORIZED', '登录已过期，请重新获取验证码');
    const p = await getPerson(ctx, s.person_id);
    if (!p) throw notFound('居民信息不存在');
    ctx.audit.read({
      action: 'fd-portal.view',
      objectType: 'person',
      objectId: p.id,
      actor: residentActor(p.id),
      districtCode: p.residenceDistrict,
      note: '居民查看本人家庭医生签约',
    });
    return myFamilyDoctor(ctx, p);
  },
});

/** 随申办服务协同: a contract by ID number + name, for a signed partner request. */
export const partnerContractRoute = defineRoute({
  method: 'GET',
  url: '/partner/fd-services/contract',
  summary: '签约查询接口（随申办）：按身份证号 + 姓名查询家庭医生签约',
  description: '红色（过期）签约不对外展示，按未签约返回签约入口。身份证号与姓名不匹配时返回 404。',
  tags: ['合作系统接入'],
  auth: 'partner',
  permission: 'fd-services.contract.query',
  querystring: Type.Object({ idNumber: IdNumber, name: Name }, { additionalProperties: false }),
  response: { 200: MyFamilyDoctor },
  handler: async (ctx, { query }) => {
    const p = await matchPerson(ctx, query.idNumber, query.name);
    if (!p) throw notFound('未找到该居民（身份证号与姓名不匹配）');
    ctx.audit.read({
      action: 'fd-services.partner.contract-query',
      objectType: 'person',
      objectId: p.id,
      districtCode: p.residenceDistrict,
      note: '随申办查询签约',
    });
    return myFamilyDoctor(ctx, p);
  },
});
