// The one HTTP client for outside systems: global fetch with a hard timeout (AbortSignal.timeout),
// the request signed over the exact bytes sent, and the Idempotency-Key header so the receiver can
// recognise a redelivery. It never throws: a network failure or timeout is a result like a response.
import type { Signer } from './signing.ts';

export interface OutgoingRequest {
  baseUrl: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below baseUrl, may carry a query string: '/inbox/subsidy.application?x=1'. */
  path: string;
  /** Sent as JSON; undefined = no body. */
  body?: unknown;
  headers?: Record<string, string>;
  idempotencyKey?: string;
  timeoutMs: number;
  signer?: Signer;
}

export type HttpResult =
  | { kind: 'response'; status: number; body: unknown; durationMs: number }
  | { kind: 'timeout'; message: string; durationMs: number }
  | { kind: 'network'; message: string; durationMs: number };

const MAX_BODY = 8000;

/** baseUrl 'http://h/api' + '/x?y=1' → http://h/api/x?y=1 (the base path is kept, unlike new URL(path, base)). */
export function joinUrl(baseUrl: string, path: string): URL {
  return new URL(baseUrl.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, ''));
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return { text: text.slice(0, MAX_BODY) };
  }
}

function networkMessage(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (e as { code?: string }).code;
  const why: Record<string, string> = {
    ECONNREFUSED: '连接被拒绝（对方服务未启动或端口未开放）',
    ECONNRESET: '连接被对方重置',
    ENOTFOUND: '域名无法解析',
    EHOSTUNREACH: '主机不可达',
    ETIMEDOUT: '连接超时',
    UND_ERR_SOCKET: '连接异常中断',
  };
  // A known cause is said in Chinese only: the raw code (ECONNREFUSED …) means nothing to the people reading it.
  if (code && why[code]) return `网络错误：${why[code]}`;
  const text = cause?.message ?? (e as Error).message ?? String(e);
  return `网络错误：${text}${code ? `（${code}）` : ''}`;
}

export async function sendRequest(req: OutgoingRequest): Promise<HttpResult> {
  const url = joinUrl(req.baseUrl, req.path);
  const rawBody = req.body === undefined ? '' : JSON.stringify(req.body);
  const headers: Record<string, string> = { accept: 'application/json', ...(req.headers ?? {}) };
  if (req.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
  // Signed last, over the path the receiver sees and the exact body bytes.
  if (req.signer) Object.assign(headers, req.signer(req.method, url.pathname + url.search, rawBody));
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : rawBody,
      signal: AbortSignal.timeout(req.timeoutMs),
      redirect: 'manual',
    });
    const text = await res.text();
    return { kind: 'response', status: res.status, body: parseBody(text), durationMs: Date.now() - started };
  } catch (e) {
    const durationMs = Date.now() - started;
    const name = (e as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout', message: `请求超时（超过 ${req.timeoutMs} 毫秒未响应）`, durationMs };
    return { kind: 'network', message: networkMessage(e), durationMs };
  }
}
