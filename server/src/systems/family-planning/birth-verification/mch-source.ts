import type { KeyRing } from '../../../platform/crypto/keyring.ts';
import { defineAdapter, resolveSettings, signerFor } from '../../../platform/integration/adapter.ts';
import { backoffDelayMs } from '../../../platform/integration/classify.ts';
import { type HttpResult, sendRequest } from '../../../platform/integration/http-client.ts';

/**
 * The 市妇幼保健中心 daily interface: GET /api/v1/births?date=YYYY-MM-DD&page=N, signed like every
 * outside call (HMAC-SM3 by default, WEIJIAN_MATERNAL_CHILD_*), each page retried with backoff on
 * timeouts, network errors, 408/429 and 5xx. A pull, not a message: it does not go through the outbox.
 */
export const MATERNAL_CHILD = 'maternal-child';
export const mchAdapter = defineAdapter({ system: MATERNAL_CHILD, timeoutMs: 15_000, retry: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 } });

export interface DayPage {
  date: string;
  page: number;
  pageSize: number;
  total: number;
  records: Record<string, unknown>[];
}

export class SourceUnavailable extends Error {}

const transient = (r: HttpResult) => r.kind !== 'response' || r.status === 408 || r.status === 425 || r.status === 429 || r.status >= 500;
const why = (r: HttpResult) => (r.kind === 'response' ? `HTTP ${r.status}：${(r.body as { message?: string } | null)?.message ?? ''}` : r.message);

export interface FetchOptions {
  production: boolean;
  /** Tests: point at a simulator and shorten the backoff. */
  baseUrl?: string;
  baseDelayMs?: number;
  pageSize?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Every record of one day, page by page: the births (default) or the death reports (儿童/孕产妇死亡报告卡, by
 * report day). Throws SourceUnavailable when a page keeps failing.
 */
export async function fetchDay(
  keys: KeyRing,
  date: string,
  opts: FetchOptions,
  resource: 'births' | 'deaths' = 'births',
): Promise<{ records: Record<string, unknown>[]; attempts: number }> {
  const adapter = opts.baseUrl ? { ...mchAdapter, baseUrl: opts.baseUrl } : mchAdapter;
  const settings = resolveSettings(adapter, opts.production);
  if (!settings.baseUrl) throw new SourceUnavailable('未配置市妇幼接口地址（环境变量 WEIJIAN_MATERNAL_CHILD_URL）');
  const signer = signerFor(settings, keys);
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const pageSize = opts.pageSize ?? 500;
  const policy = { ...mchAdapter.retry, baseDelayMs: opts.baseDelayMs ?? mchAdapter.retry.baseDelayMs };
  const records: Record<string, unknown>[] = [];
  let attempts = 0;
  for (let page = 1; ; page++) {
    let body: DayPage | null = null;
    for (let attempt = 1; ; attempt++) {
      attempts++;
      const r = await sendRequest({
        baseUrl: settings.baseUrl,
        method: 'GET',
        path: `/api/v1/${resource}?date=${date}&page=${page}&pageSize=${pageSize}`,
        timeoutMs: settings.timeoutMs,
        signer,
      });
      if (r.kind === 'response' && r.status === 200) {
        body = r.body as DayPage;
        break;
      }
      if (!transient(r) || attempt >= policy.maxAttempts)
        throw new SourceUnavailable(`市妇幼${resource === 'deaths' ? '死亡报告' : ''}接口第 ${page} 页拉取失败（${attempt} 次尝试）：${why(r)}`);
      await sleep(backoffDelayMs(attempt, policy));
    }
    if (!Array.isArray(body?.records)) throw new SourceUnavailable(`市妇幼接口第 ${page} 页返回格式不正确`);
    records.push(...body.records);
    if (body.records.length < pageSize || records.length >= body.total) break;
  }
  return { records, attempts };
}
