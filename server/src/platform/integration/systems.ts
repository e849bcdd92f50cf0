// The outside systems the platform talks to, in one list: adapters take their zh-CN title and signing
// mode from here, and the simulators (npm run simulators) use the same order for their ports, so a
// development server finds each simulator without configuration.

export type AuthMode = 'hmac-sm3' | 'sm2' | 'none';

export interface OutsideSystem {
  /** Adapter / simulator name: lowercase, digits and '-'. */
  system: string;
  title: string;
  /** How our requests to it are signed (overridable per deployment with WEIJIAN_<SYSTEM>_AUTH). */
  auth: AuthMode;
}

export const OUTSIDE_SYSTEMS: readonly OutsideSystem[] = [
  { system: 'national-subsidy', title: '国家育儿补贴信息管理系统', auth: 'sm2' },
  { system: 'one-net', title: '一网通办/随申办', auth: 'hmac-sm3' },
  { system: 'birth-one-thing', title: '出生“一件事”', auth: 'hmac-sm3' },
  { system: 'data-platform', title: '市大数据中心数据资源平台', auth: 'sm2' },
  { system: 'maternal-child', title: '市妇幼保健中心', auth: 'hmac-sm3' },
  { system: 'community-cloud', title: '社区云', auth: 'hmac-sm3' },
  { system: 'sms-gateway', title: '短信网关', auth: 'hmac-sm3' },
  { system: 'fd-qc-platform', title: '家庭医生质控平台', auth: 'hmac-sm3' },
  { system: 'health-cloud', title: '健康云', auth: 'hmac-sm3' },
  { system: 'audit-witness', title: '审计见证系统', auth: 'hmac-sm3' },
];

export const SYSTEM_NAME = /^[a-z][a-z0-9-]{1,39}$/;

export function outsideSystem(system: string): OutsideSystem | undefined {
  return OUTSIDE_SYSTEMS.find((s) => s.system === system);
}

/** 'national-subsidy' → 'WEIJIAN_NATIONAL_SUBSIDY_' (then URL, SECRET, CLIENT_ID, AUTH, TIMEOUT_MS). */
export function envPrefix(system: string): string {
  return `WEIJIAN_${system.toUpperCase().replace(/-/g, '_')}_`;
}

/** First simulator port: the generic simulator listens here, the named ones on the following ports. */
export function simulatorBasePort(env: NodeJS.ProcessEnv = process.env): number {
  const p = Number(env.WEIJIAN_SIM_PORT || 4100);
  return Number.isInteger(p) && p > 0 && p < 65_500 ? p : 4100;
}

/** Where `npm run simulators` serves a named system (development default for its adapter's URL). */
export function simulatorUrl(system: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const i = OUTSIDE_SYSTEMS.findIndex((s) => s.system === system);
  if (i < 0) return undefined;
  return `http://127.0.0.1:${simulatorBasePort(env) + 1 + i}`;
}

/**
 * Development-only shared secret for HMAC-SM3 between the platform and a simulator. Production
 * must set WEIJIAN_<SYSTEM>_SECRET (the adapter refuses to send without it).
 */
export function devSecret(system: string): string {
  return `weijian-dev-secret-${system}`;
}

/** The client id we present (x-wj-client) unless WEIJIAN_<SYSTEM>_CLIENT_ID says otherwise. */
export const DEFAULT_CLIENT_ID = 'weijian-sh';
