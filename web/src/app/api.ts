import type { FormInstance } from 'antd';

/** The one way the console talks to the server (docs/api.md). */
const BASE = '/api/v1';
const CSRF_KEY = 'wj.csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface FieldError {
  field: string;
  message: string;
}

/** A refused or failed call, carrying the server's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const csrf = {
  get: (): string | null => sessionStorage.getItem(CSRF_KEY),
  set: (token: string) => sessionStorage.setItem(CSRF_KEY, token),
  clear: () => sessionStorage.removeItem(CSRF_KEY),
};

type Listener = (err: ApiError) => void;
let onUnauthorized: Listener | null = null;

/** The session provider registers here: a 401 anywhere sends the user back to sign-in. */
export function setUnauthorizedHandler(fn: Listener | null): void {
  onUnauthorized = fn;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Sign-in calls answer 401 for a wrong password or code: show it, don't treat it as an expired session. */
  quiet401?: boolean;
}

function queryString(q?: Query): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

const STATUS_TEXT: Record<number, string> = {
  400: '输入有误',
  401: '登录已过期，请重新登录',
  403: '无权执行此操作',
  404: '记录不存在或不在您的数据权限范围内',
  409: '操作冲突',
  413: '请求体过大',
  422: '不符合业务规则',
  423: '账号已锁定',
  429: '请求过于频繁，请稍后再试',
  502: '服务暂不可用',
  503: '服务暂不可用',
};

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const token = csrf.get();
  if (UNSAFE.has(method) && token) headers['x-csrf-token'] = token;
  let res: Response;
  try {
    res = await fetch(BASE + path + queryString(opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  const text = await res.text();
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const b = (data ?? {}) as Partial<{ code: string; message: string; details: FieldError[]; requestId: string }>;
    const err = new ApiError(
      res.status,
      b.code ?? `HTTP_${res.status}`,
      b.message ?? STATUS_TEXT[res.status] ?? `请求失败（HTTP ${res.status}）`,
      Array.isArray(b.details) ? b.details : [],
      b.requestId ?? res.headers.get('x-request-id') ?? undefined,
    );
    if (res.status === 401 && !opts.quiet401) onUnauthorized?.(err);
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body: unknown = {}, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/** Text for any thrown value: the server's message when it is an ApiError. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * Puts the server's field errors (`details[].field` like `scope.districtCode`) beside the matching
 * form fields. Returns the details no field took, so the caller can show them elsewhere.
 */
export function applyFieldErrors(form: FormInstance, e: unknown): FieldError[] {
  if (!(e instanceof ApiError) || e.details.length === 0) return [];
  const byField = new Map<string, string[]>();
  const rest: FieldError[] = [];
  for (const d of e.details) {
    const name = d.field.replace(/^(body|query|params)\.?/, '');
    if (!name) {
      rest.push(d);
      continue;
    }
    byField.set(name, [...(byField.get(name) ?? []), d.message]);
  }
  // Only fields the form renders can show an error; the rest go back to the caller.
  const registered = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const known: { name: (string | number)[]; errors: string[] }[] = [];
  for (const [field, errors] of byField) {
    if (!registered.has(field)) {
      rest.push(...errors.map((message) => ({ field, message })));
      continue;
    }
    known.push({ name: field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors });
  }
  form.setFields(known);
  return rest;
}

/**
 * Downloads a server-generated file (Excel, PDF) with the session cookie and saves it under the name
 * the server gives (Content-Disposition) or `fallbackName`. Errors arrive as ApiError like any call.
 */
export async function download(path: string, query?: Query, fallbackName = 'download'): Promise<string> {
  const p = path.startsWith(BASE) ? path.slice(BASE.length) : path;
  let res: Response;
  try {
    res = await fetch(BASE + p + queryString(query), { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) {
    let b: Partial<{ code: string; message: string; requestId: string }> = {};
    try {
      b = (await res.json()) as typeof b;
    } catch {
      // not a JSON error body
    }
    const err = new ApiError(
      res.status,
      b.code ?? `HTTP_${res.status}`,
      b.message ?? STATUS_TEXT[res.status] ?? `下载失败（HTTP ${res.status}）`,
      [],
      b.requestId,
    );
    if (res.status === 401) onUnauthorized?.(err);
    throw err;
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const name = m?.[1] ? decodeURIComponent(m[1]) : fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  return name;
}
