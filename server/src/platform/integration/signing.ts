// Request signing for outside systems. The string to sign is the partner API's (auth/partner.ts):
// method, path with query, timestamp, nonce and the body's SM3 digest, so one convention covers calls
// in both directions. HMAC-SM3 uses a shared secret; SM2 signs with the platform key pair in the key
// ring (the other side holds our public key). x-wj-sign-alg tells the receiver which one it got.
import { timingSafeEqual } from 'node:crypto';
import { partnerStringToSign, REPLAY_WINDOW_MS, signPartnerRequest } from '../auth/partner.ts';
import { hmacSm3 } from '../crypto/sm3.ts';
import { sm2Verify } from '../crypto/sm2.ts';

export type SignAlg = 'HMAC-SM3' | 'SM2';
export type Signer = (method: string, url: string, rawBody: string) => Record<string, string>;

export function hmacSigner(clientId: string, secret: string): Signer {
  return (method, url, rawBody) => ({ 'x-wj-client': clientId, 'x-wj-sign-alg': 'HMAC-SM3', ...signPartnerRequest(secret, method, url, rawBody) });
}

/** sign: e.g. `(m) => kernel.keys.sm2Sign(m)` (DER hex). */
export function sm2Signer(clientId: string, sign: (message: string) => string): Signer {
  return (method, url, rawBody) => {
    const timestamp = String(Date.now());
    const nonce = crypto.randomUUID();
    const signature = sign(partnerStringToSign(method, url, timestamp, nonce, rawBody));
    return { 'x-wj-client': clientId, 'x-wj-sign-alg': 'SM2', 'x-wj-timestamp': timestamp, 'x-wj-nonce': nonce, 'x-wj-signature': signature };
  };
}

export interface VerifyKeys {
  /** Shared secret of a client for HMAC-SM3; undefined = unknown client. */
  hmacSecret?: (clientId: string) => string | undefined;
  /** SM2 public key (hex) of a client; undefined = unknown client. */
  sm2PublicKey?: (clientId: string) => string | undefined;
}

export interface IncomingRequest {
  method: string;
  /** Path with query string, exactly as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export type VerifyResult = { ok: true; clientId: string; alg: SignAlg } | { ok: false; message: string };

const one = (h: IncomingRequest['headers'], n: string) => {
  const v = h[n];
  return typeof v === 'string' ? v : undefined;
};

/**
 * Checks a signed request (either algorithm). `freshNonce` records the nonce and returns false when it
 * was seen before: with the time window that refuses replays. Messages are zh-CN, for the sender's log.
 */
export function verifySignedRequest(
  req: IncomingRequest,
  keys: VerifyKeys,
  opts: { now?: number; windowMs?: number; freshNonce?: (clientId: string, nonce: string) => boolean } = {},
): VerifyResult {
  const clientId = one(req.headers, 'x-wj-client');
  const ts = one(req.headers, 'x-wj-timestamp');
  const nonce = one(req.headers, 'x-wj-nonce');
  const sig = one(req.headers, 'x-wj-signature');
  const alg = (one(req.headers, 'x-wj-sign-alg') ?? 'HMAC-SM3').toUpperCase();
  if (!clientId || !ts || !nonce || !sig) return { ok: false, message: '缺少签名请求头（x-wj-client、x-wj-timestamp、x-wj-nonce、x-wj-signature）' };
  const now = opts.now ?? Date.now();
  if (!/^\d{13}$/.test(ts) || Math.abs(now - Number(ts)) > (opts.windowMs ?? REPLAY_WINDOW_MS)) return { ok: false, message: '请求时间戳超出允许范围' };
  if (!/^[\w-]{8,64}$/.test(nonce)) return { ok: false, message: 'nonce 格式不正确' };
  const text = partnerStringToSign(req.method, req.url, ts, nonce, req.rawBody);
  if (alg === 'HMAC-SM3') {
    const secret = keys.hmacSecret?.(clientId);
    if (secret === undefined) return { ok: false, message: `未登记的调用方：${clientId}` };
    const expected = hmacSm3(Buffer.from(secret, 'utf8'), text);
    const given = Buffer.from(/^[0-9a-f]*$/i.test(sig) ? sig : '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, message: '签名校验失败（HMAC-SM3）' };
  } else if (alg === 'SM2') {
    const pub = keys.sm2PublicKey?.(clientId);
    if (pub === undefined) return { ok: false, message: `未登记的调用方：${clientId}` };
    if (!sm2Verify(text, sig, pub)) return { ok: false, message: '签名校验失败（SM2）' };
  } else {
    return { ok: false, message: `不支持的签名算法：${alg}` };
  }
  if (opts.freshNonce && !opts.freshNonce(clientId, nonce)) return { ok: false, message: '重复的请求（nonce 已使用）' };
  return { ok: true, clientId, alg: alg as SignAlg };
}
