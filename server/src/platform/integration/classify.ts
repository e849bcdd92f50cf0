// What a delivery attempt's result means for the message. The receiver is idempotent by
// Idempotency-Key, so "already have it" (409) counts as delivered; a 4xx says the request itself is
// wrong and repeating it cannot help (dead, for a person to look at); 5xx, 408/425/429, timeouts and
// network errors are the other side's trouble and are retried with backoff.
import type { HttpResult } from './http-client.ts';

export type Outcome =
  | { result: 'delivered'; httpStatus: number; response: { status: number; body: unknown } }
  | { result: 'retry'; httpStatus: number | null; error: string }
  | { result: 'dead'; httpStatus: number | null; error: string };

const TRANSIENT_4XX = new Set([408, 425, 429]);

/** The other side's explanation, from the usual error body shapes. */
function explanation(body: unknown): string {
  if (body === null || body === undefined) return '';
  if (typeof body !== 'object') return String(body).slice(0, 500);
  const b = body as Record<string, unknown>;
  const code = typeof b.code === 'string' || typeof b.code === 'number' ? String(b.code) : '';
  const msg = [b.message, b.msg, b.error, b.text].find((v) => typeof v === 'string') as string | undefined;
  return [code, msg ?? ''].filter(Boolean).join(' ').slice(0, 500);
}

export function classifyResult(r: HttpResult): Outcome {
  if (r.kind !== 'response') return { result: 'retry', httpStatus: null, error: r.message };
  const { status, body } = r;
  if ((status >= 200 && status < 300) || status === 409) return { result: 'delivered', httpStatus: status, response: { status, body } };
  const why = explanation(body);
  const text = `对方返回 HTTP ${status}${why ? `：${why}` : ''}`;
  if (status >= 500 || TRANSIENT_4XX.has(status)) return { result: 'retry', httpStatus: status, error: text };
  if (status >= 300 && status < 400) return { result: 'dead', httpStatus: status, error: `${text}（对方要求重定向，请检查对接地址配置）` };
  if (status === 401 || status === 403)
    return { result: 'dead', httpStatus: status, error: `对方拒绝了请求的身份或签名（HTTP ${status}${why ? `：${why}` : ''}），请检查密钥与签名方式配置` };
  return { result: 'dead', httpStatus: status, error: `${text}（请求被拒绝，重试无效，请人工处理）` };
}

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before the attempt after `failedAttempt` (1-based): doubling from baseDelayMs, capped, with
 * "equal jitter" (half fixed, half random) so messages that failed together do not return together.
 */
export function backoffDelayMs(failedAttempt: number, p: BackoffPolicy, random: () => number = Math.random): number {
  const exp = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
