// One adapter per outside system: where it lives, how requests to it are signed, how long to wait,
// how to retry, and how a queued message (topic + payload) becomes an HTTP request.
//
// A module declares the adapters of the systems it talks to; the kernel builds its registry from them
// at boot (registry.ts, kernel.adapters):
//
//   // systems/family-planning/childcare-subsidy/national.ts
//   export const nationalSubsidy = defineAdapter({
//     system: 'national-subsidy',                      // title and signing mode come from systems.ts
//     request: (m) => ({ method: 'POST', path: `/api/applications/${m.payload.applicationId}`, body: m.payload }),
//   });
//   // module.ts: defineModule({ ..., adapters: [nationalSubsidy] })
//
// Deployment settings come from the environment, WEIJIAN_<SYSTEM>_URL / _SECRET / _CLIENT_ID / _AUTH /
// _TIMEOUT_MS (e.g. WEIJIAN_NATIONAL_SUBSIDY_URL); outside production a missing URL or secret falls
// back to the local simulator (npm run simulators) and its development secret.
import type { KeyRing } from '../crypto/keyring.ts';
import { type BackoffPolicy, classifyResult, type Outcome } from './classify.ts';
import type { HttpResult, OutgoingRequest } from './http-client.ts';
import type { OutboxMessage } from './outbox.ts';
import { hmacSigner, type Signer, sm2Signer } from './signing.ts';
import { type AuthMode, DEFAULT_CLIENT_ID, devSecret, envPrefix, outsideSystem, SYSTEM_NAME, simulatorUrl } from './systems.ts';

export interface AdapterRequest {
  method: OutgoingRequest['method'];
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RetryPolicy extends BackoffPolicy {
  /** Attempts in all, the first included; then the message is dead. */
  maxAttempts: number;
}

export interface CircuitPolicy {
  /** Consecutive transient failures (5xx, timeouts, network) that open the circuit. */
  failureThreshold: number;
  /** How long the system is paused before one probe message is tried. */
  openMs: number;
}

/** Settings after the environment has been read. */
export interface AdapterSettings {
  baseUrl: string | null;
  auth: AuthMode;
  clientId: string;
  /** HMAC-SM3 shared secret; null when not configured (a send is then refused). */
  secret: string | null;
  timeoutMs: number;
}

export interface DeliverContext {
  settings: AdapterSettings;
  /** Sends one request to this system: signed, timed out, with the message's Idempotency-Key. */
  send(req: AdapterRequest): Promise<HttpResult>;
}

export interface Adapter {
  system: string;
  title: string;
  auth: AuthMode;
  timeoutMs: number;
  retry: RetryPolicy;
  circuit: CircuitPolicy;
  /** Messages of this system delivered at once in one dispatcher round. */
  concurrency: number;
  /** Defaults below the environment (WEIJIAN_<SYSTEM>_*): tests point these at a simulator. */
  baseUrl?: string;
  clientId?: string;
  secret?: string;
  /** Maps a message to its HTTP request. */
  request(message: OutboxMessage): AdapterRequest;
  /** Delivers one message; the default sends request(message) and classifies the reply (classify.ts). */
  deliver(message: OutboxMessage, ctx: DeliverContext): Promise<Outcome>;
}

export type AdapterSpec = Partial<Omit<Adapter, 'system' | 'retry' | 'circuit'>> & {
  system: string;
  retry?: Partial<RetryPolicy>;
  circuit?: Partial<CircuitPolicy>;
};

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 12, baseDelayMs: 5_000, maxDelayMs: 3_600_000 };
export const DEFAULT_CIRCUIT: CircuitPolicy = { failureThreshold: 5, openMs: 60_000 };
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Generic mapping: POST <base>/inbox/<topic> with the payload as the body. */
export function defaultRequest(message: OutboxMessage): AdapterRequest {
  return { method: 'POST', path: `/inbox/${encodeURIComponent(message.topic)}`, body: message.payload };
}

export function defineAdapter(spec: AdapterSpec): Adapter {
  if (!SYSTEM_NAME.test(spec.system)) throw new Error(`adapter system name must match ${SYSTEM_NAME}: ${spec.system}`);
  const known = outsideSystem(spec.system);
  const request = spec.request ?? defaultRequest;
  const adapter: Adapter = {
    ...spec,
    system: spec.system,
    title: spec.title ?? known?.title ?? spec.system,
    auth: spec.auth ?? known?.auth ?? 'hmac-sm3',
    timeoutMs: spec.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, ...spec.retry },
    circuit: { ...DEFAULT_CIRCUIT, ...spec.circuit },
    concurrency: Math.max(1, spec.concurrency ?? 8),
    request,
    deliver: spec.deliver ?? (async (message, ctx) => classifyResult(await ctx.send(request(message)))),
  };
  return adapter;
}

const AUTH_MODES: readonly AuthMode[] = ['hmac-sm3', 'sm2', 'none'];

export function resolveSettings(adapter: Adapter, production: boolean, env: NodeJS.ProcessEnv = process.env): AdapterSettings {
  const p = envPrefix(adapter.system);
  const authEnv = env[`${p}AUTH`]?.toLowerCase() as AuthMode | undefined;
  const timeout = Number(env[`${p}TIMEOUT_MS`]);
  return {
    baseUrl: env[`${p}URL`] || adapter.baseUrl || (production ? null : (simulatorUrl(adapter.system, env) ?? null)),
    auth: authEnv && AUTH_MODES.includes(authEnv) ? authEnv : adapter.auth,
    clientId: env[`${p}CLIENT_ID`] || adapter.clientId || DEFAULT_CLIENT_ID,
    secret: env[`${p}SECRET`] || adapter.secret || (production ? null : devSecret(adapter.system)),
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : adapter.timeoutMs,
  };
}

export class NotConfiguredError extends Error {}

export function signerFor(settings: AdapterSettings, keys: KeyRing): Signer | undefined {
  if (settings.auth === 'none') return undefined;
  if (settings.auth === 'sm2') return sm2Signer(settings.clientId, (m) => keys.sm2Sign(m));
  if (!settings.secret) throw new NotConfiguredError('未配置 HMAC-SM3 共享密钥');
  return hmacSigner(settings.clientId, settings.secret);
}
