import { basename, dirname, resolve } from 'node:path';

/** Everything configurable, from the environment (documented in README's configuration table). */
export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** PGlite folder and generated key file live here. */
  dataDir: string;
  /** postgres://… switches from embedded PGlite to a PostgreSQL server. */
  databaseUrl?: string;
  dbPoolSize: number;
  /** WEIJIAN_KEYS: key-ring JSON or a path to it; default <dataDir>/keys.json (generated outside production). */
  keys?: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginMaxFailures: number;
  lockoutMinutes: number;
  /** Failed sign-ins per minute from one address, across all user names (password spraying); then 429. */
  loginRatePerMinute: number;
  /** Failed sign-ins per account (user name) from all addresses within loginAccountWindowMinutes before the
   *  account is throttled for addresses that have not signed in to it successfully before. */
  loginAccountMaxFailures: number;
  loginAccountWindowMinutes: number;
  /** Progressive delay per (user name, address) after the second failure: base·2^(n-2) seconds, capped. */
  loginDelayBaseSeconds: number;
  loginDelayMaxSeconds: number;
  /** Wrong TOTP codes per account, across sessions, before the account is locked for lockoutMinutes. */
  totpMaxFailures: number;
  /** Days a password is valid; after that the user must change it at sign-in (0 = never expires). */
  passwordMaxAgeDays: number;
  /** A new password may not repeat the current one or the last N before it. */
  passwordHistory: number;
  /** WEIJIAN_TRUST_PROXY: take the client address from X-Forwarded-For only from these proxies
   *  (false = off, the default; true = any; a hop count; or a comma list of addresses/CIDRs). */
  trustProxy: boolean | number | string;
  /** WEIJIAN_METRICS_TOKEN: bearer token /metrics requires; without it /metrics is not served. */
  metricsToken?: string;
  /** Create demo users and the demo world on first start (refused in production). */
  demo: boolean;
  worldResidents: number;
  worldSeed: number;
  /** Run the job scheduler in this process. */
  jobs: boolean;
  /** Enqueue due cron schedules; off, only runs started by hand (tests). */
  jobSchedules: boolean;
  /** Check every response against its route's declared schema (on in tests; see http/response-check.ts). */
  checkResponses: boolean;
  /** Jobs run at once in this process. */
  jobConcurrency: number;
  logLevel: string;
  webDist: string;
  bodyLimitBytes: number;
  /** Secure cookies (HTTPS). */
  secureCookies: boolean;
  /**
   * WEIJIAN_AUDIT_ANCHOR_FILE: append-only file every signed audit checkpoint is exported to, outside the
   * database (default <dataDir>/../audit-anchors/<dataDir name>-{key}.jsonl; 'off' or, in tests, unset: none).
   * `{key}` stands for the audit signing key's id (a new key ring, e.g. a wiped development data/, starts a new file).
   */
  auditAnchorFile: string | null;
  /** Push every checkpoint to the audit witness (outbox system audit-witness); WEIJIAN_AUDIT_WITNESS_URL=off: no. */
  auditWitness: boolean;
}

function trustProxyOf(v: string | undefined): boolean | number | string {
  const s = (v ?? '').trim();
  if (s === '' || ['0', 'false', 'no', 'off'].includes(s.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(s.toLowerCase())) return true;
  if (/^[1-9]\d*$/.test(s)) return Number(s);
  return s;
}

const num = (v: string | undefined, d: number) => (v === undefined || v === '' ? d : Number(v));
const bool = (v: string | undefined, d: boolean) => (v === undefined || v === '' ? d : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase()));

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const dataDir = resolve(env.WEIJIAN_DATA_DIR ?? './data');
  return {
    env: nodeEnv,
    host: env.HOST ?? '127.0.0.1',
    port: num(env.PORT, 3000),
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    dbPoolSize: num(env.WEIJIAN_DB_POOL, 20),
    keys: env.WEIJIAN_KEYS || undefined,
    sessionIdleMinutes: num(env.WEIJIAN_SESSION_IDLE_MINUTES, 30),
    sessionMaxHours: num(env.WEIJIAN_SESSION_MAX_HOURS, 12),
    loginMaxFailures: num(env.WEIJIAN_LOGIN_MAX_FAILURES, 5),
    lockoutMinutes: num(env.WEIJIAN_LOCKOUT_MINUTES, 15),
    loginRatePerMinute: num(env.WEIJIAN_LOGIN_RATE, 20),
    loginAccountMaxFailures: num(env.WEIJIAN_LOGIN_ACCOUNT_MAX_FAILURES, 20),
    loginAccountWindowMinutes: num(env.WEIJIAN_LOGIN_ACCOUNT_WINDOW_MINUTES, 15),
    loginDelayBaseSeconds: num(env.WEIJIAN_LOGIN_DELAY_BASE_SECONDS, 1),
    loginDelayMaxSeconds: num(env.WEIJIAN_LOGIN_DELAY_MAX_SECONDS, 60),
    totpMaxFailures: num(env.WEIJIAN_TOTP_MAX_FAILURES, 10),
    passwordMaxAgeDays: num(env.WEIJIAN_PASSWORD_MAX_AGE_DAYS, 90),
    passwordHistory: num(env.WEIJIAN_PASSWORD_HISTORY, 5),
    trustProxy: trustProxyOf(env.WEIJIAN_TRUST_PROXY),
    metricsToken: env.WEIJIAN_METRICS_TOKEN || undefined,
    demo: nodeEnv !== 'production' && bool(env.WEIJIAN_DEMO, true),
    worldResidents: num(env.WEIJIAN_WORLD_RESIDENTS, 20_000),
    worldSeed: num(env.WEIJIAN_WORLD_SEED, 20261126),
    jobs: bool(env.WEIJIAN_JOBS, true),
    jobSchedules: bool(env.WEIJIAN_JOB_SCHEDULES, true),
    checkResponses: bool(env.WEIJIAN_CHECK_RESPONSES, nodeEnv === 'test'),
    jobConcurrency: num(env.WEIJIAN_JOB_CONCURRENCY, 1),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    webDist: resolve(env.WEIJIAN_WEB_DIST ?? './web/dist'),
    bodyLimitBytes: num(env.WEIJIAN_BODY_LIMIT, 10 * 1024 * 1024),
    secureCookies: bool(env.WEIJIAN_SECURE_COOKIES, nodeEnv === 'production'),
    auditAnchorFile: anchorFile(env.WEIJIAN_AUDIT_ANCHOR_FILE, dataDir, nodeEnv),
    auditWitness: env.WEIJIAN_AUDIT_WITNESS_URL !== 'off',
  };
}

// Beside the data directory, never inside it: a copy or wipe of data/ must not take the anchors along.
function anchorFile(v: string | undefined, dataDir: string, env: Config['env']): string | null {
  if (v === 'off') return null;
  if (v) return resolve(v);
  return env === 'test' ? null : resolve(dirname(dataDir), 'audit-anchors', `${basename(dataDir)}-{key}.jsonl`);
}
