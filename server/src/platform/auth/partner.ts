import { timingSafeEqual } from 'node:crypto';
import { hmacSm3, sm3Hex } from '../crypto/sm3.ts';
import { AppError } from '../http/errors.ts';
import type { Kernel } from '../kernel.ts';
import type { ScopeLevel } from '../scope/scope.ts';
import type { Principal } from './principal.ts';

/** Requests older or newer than this are refused: with the nonce table this stops replays. */
export const REPLAY_WINDOW_MS = 5 * 60_000;

export interface SignedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

/** The string a partner signs: method, path with query, timestamp, nonce and the body's SM3 digest. */
export function partnerStringToSign(method: string, url: string, timestamp: string, nonce: string, rawBody: string): string {
  return [method.toUpperCase(), url, timestamp, nonce, sm3Hex(rawBody)].join('\n');
}

export function signPartnerRequest(secret: string, method: string, url: string, rawBody: string, now = Date.now(), nonce = crypto.randomUUID()) {
  const timestamp = String(now);
  const signature = hmacSm3(Buffer.from(secret, 'utf8'), partnerStringToSign(method, url, timestamp, nonce, rawBody)).toString('hex');
  return { 'x-wj-timestamp': timestamp, 'x-wj-nonce': nonce, 'x-wj-signature': signature };
}

const header = (h: SignedRequest['headers'], n: string) => {
  const v = h[n];
  return typeof v === 'string' ? v : undefined;
};

const refuse = (message: string) => new AppError(401, 'BAD_SIGNATURE', message);

export async function authenticatePartner(kernel: Kernel, req: SignedRequest): Promise<Principal> {
  const clientId = header(req.headers, 'x-wj-client');
  const ts = header(req.headers, 'x-wj-timestamp');
  const nonce = header(req.headers, 'x-wj-nonce');
  const sig = header(req.headers, 'x-wj-signature');
  if (!clientId || !ts || !nonce || !sig) throw refuse('缺少签名请求头（x-wj-client、x-wj-timestamp、x-wj-nonce、x-wj-signature）');
  if (!/^\d{13}$/.test(ts) || Math.abs(Date.now() - Number(ts)) > REPLAY_WINDOW_MS) throw refuse('请求时间戳超出允许范围');
  if (!/^[\w-]{8,64}$/.test(nonce)) throw refuse('nonce 格式不正确');
  const [c] = await kernel.db.query<{
    client_id: string;
    name: string;
    secret: string;
    permissions: string[];
    scope_level: ScopeLevel;
    scope_district: string | null;
    disabled: boolean;
  }>('select client_id, name, secret, permissions, scope_level, scope_district, disabled from api_client where client_id = $1', [clientId]);
  if (!c || c.disabled) throw refuse('合作系统未登记或已停用');
  const expected = hmacSm3(Buffer.from(kernel.keys.decryptField(c.secret), 'utf8'), partnerStringToSign(req.method, req.url, ts, nonce, req.rawBody));
  const given = Buffer.from(sig, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse('签名校验失败');
  const fresh = await kernel.db.query('insert into api_nonce (client_id, nonce) values ($1, $2) on conflict do nothing returning nonce', [clientId, nonce]);
  if (fresh.length === 0) throw refuse('重复的请求（nonce 已使用）');
  return {
    kind: 'partner',
    userId: null,
    username: `partner:${c.client_id}`,
    displayName: c.name,
    role: 'partner',
    scope: { level: c.scope_level, districtCode: c.scope_district },
    permissions: new Set(c.permissions),
  };
}
