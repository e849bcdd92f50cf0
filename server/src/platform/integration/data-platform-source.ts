import type { KeyRing } from '../crypto/keyring.ts';
import { defineAdapter, resolveSettings, signerFor } from './adapter.ts';
import { backoffDelayMs } from './classify.ts';
import { type HttpResult, sendRequest } from './http-client.ts';

/**
 * The 市大数据中心 data resource platform (民政婚姻, 公安报出生户口, 新生儿人口库): paged GETs signed like
 * every outside call (SM2 by default, WEIJIAN_DATA_PLATFORM_*), each page retried with backoff on
 * timeouts, network errors, 408/429 and 5xx. A pull, not a message: it does not go through the outbox.
 */
export const DATA_PLATFORM = 'data-platform';
export const dataPlatformAdapter = defineAdapter({
  system: DATA_PLATFORM,
  timeoutMs: 15_000,
  retry: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 },
});

export class PlatformUnavailable extends Error {}

export interface PullOptions {
  production: boolean;
  /** Tests: point at a simulator and shorten the backoff. */
  baseUrl?: string;
  baseDelayMs?: number;
  pageSize?: number;
  sleep?: (ms: number) => Promise<void>;
}

const transient = (r: HttpResult) => r.kind !== 'response' || r.status === 408 || r.status === 425 || r.status === 429 || r.status >= 500;
const why = (r: HttpResult) => (r.kind === 'response' ? `HTTP ${r.status}：${(r.body as { message?: string } | null)?.message ?? ''}` : r.message);

/** Every record of `path` (with its query, e.g. `/api/v1/civil-affairs/marriages?date=…`), page by page. */
export async function pullAll(
  keys: KeyRing,
  path: string,
  title: string,
  opts: PullOptions,
): Promise<{ records: Record<string, unknown>[]; attempts: number }> {
  const adapter = opts.baseUrl ? { ...dataPlatformAdapter, baseUrl: opts.baseUrl } : dataPlatformAdapter;
  const settings = resolveSettings(adapter, opts.production);
  if (!settings.baseUrl) throw new PlatformUnavailable('未配置市大数据中心接口地址（环境变量 WEIJIAN_DATA_PLATFORM_URL）');
  const signer = signerFor(settings, keys);
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const pageSize = opts.pageSize ?? 500;
  const policy = { ...dataPlatformAdapter.retry, baseDelayMs: opts.baseDelayMs ?? dataPlatformAdapter.retry.baseDelayMs };
  const records: Record<string, unknown>[] = [];
  let attempts = 0;
  for (let page = 1; ; page++) {
    let body = null as { total?: number; records?: unknown } | null;
    for (let attempt = 1; ; attempt++) {
      attempts++;
      const r = await sendRequest({
        baseUrl: settings.baseUrl,
        method: 'GET',
        path: `${path}&page=${page}&pageSize=${pageSize}`,
        timeoutMs: settings.timeoutMs,
        signer,
      });
      if (r.kind === 'response' && r.status === 200) {
        body = r.body as typeof body;
        break;
      }
      if (!transient(r) || attempt >= policy.maxAttempts) throw new PlatformUnavailable(`${title}第 ${page} 页拉取失败（${attempt} 次尝试）：${why(r)}`);
      await sleep(backoffDelayMs(attempt, policy));
    }
    if (!Array.isArray(body?.records)) throw new PlatformUnavailable(`${title}第 ${page} 页返回格式不正确`);
    records.push(...(body.records as Record<string, unknown>[]));
    if (body.records.length < pageSize || records.length >= Number(body.total ?? 0)) break;
  }
  return { records, attempts };
}
