import type { Config } from '../config.ts';
import type { Queryable } from '../db/types.ts';
import { AppError } from '../http/errors.ts';

/**
 * Sign-in throttling, kept in the login_throttle table (a restart resets nothing). Every counter is keyed
 * by the user name as typed (normalised), never by whether such a user exists, so an unknown name is
 * slowed and locked exactly like a real one and the answers tell nothing about which accounts exist.
 *
 * - pair (name, address): the first 2 failures are free (typos), then each next attempt must wait
 *   base·2^(n-2) seconds (capped); at loginMaxFailures the pair is locked for lockoutMinutes. Only that
 *   address is locked: five requests from an attacker do not lock city_admin out elsewhere.
 * - address: failures per minute from one address across all names (password spraying) → 429.
 * - account: failures for one name from all addresses in a window → 429 for every address that has not
 *   signed in to that account successfully in the last RECENT_SUCCESS_DAYS (the owner keeps working).
 */
export interface ThrottleKeys {
  address: string;
  account: string;
  pair: string;
}

/** Days a successful sign-in from an address exempts that address from the per-account throttle. */
export const RECENT_SUCCESS_DAYS = 30;
const FREE_FAILURES = 2;

export function throttleKeys(ip: string | null, username: string): ThrottleKeys {
  const address = ip || 'unknown';
  return { address, account: username, pair: `${username}|${address}` };
}

/** Seconds to wait after `failures` consecutive failures of one (name, address) pair. */
export function delaySeconds(failures: number, config: Pick<Config, 'loginDelayBaseSeconds' | 'loginDelayMaxSeconds'>): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(config.loginDelayBaseSeconds * 2 ** (failures - FREE_FAILURES), config.loginDelayMaxSeconds);
}

export const tooManyAttempts = (seconds: number) => new AppError(429, 'TOO_MANY_REQUESTS', `登录尝试过于频繁，请 ${Math.max(1, Math.ceil(seconds))} 秒后再试`);

/** A sign-in refused before the password is looked at: 429 (wait) or a pair lock (423, given by the caller). */
export type ThrottleVerdict = { ok: true } | { ok: false; kind: 'wait'; seconds: number } | { ok: false; kind: 'locked'; until: Date };

interface PairRow {
  failures: number;
  locked_until: Date | null;
  locked: boolean;
  since_failure: number | null;
  recent_success: boolean;
}

/**
 * Checks the three counters before the password is verified. Takes the pair's row lock, so concurrent
 * attempts of one (name, address) are judged one after the other and cannot all slip past the delay.
 */
export async function checkSignIn(tx: Queryable, config: Config, keys: ThrottleKeys): Promise<ThrottleVerdict> {
  await tx.query(`insert into login_throttle (kind, key) values ('pair', $1) on conflict (kind, key) do nothing`, [keys.pair]);
  const [p] = await tx.query<PairRow>(
    `select failures, locked_until, coalesce(locked_until > now(), false) as locked,
            extract(epoch from now() - last_failure_at)::double precision as since_failure,
            coalesce(last_success_at > now() - make_interval(days => $2::int), false) as recent_success
       from login_throttle where kind = 'pair' and key = $1 for update`,
    [keys.pair, RECENT_SUCCESS_DAYS],
  );
  if (!p) throw new Error('login_throttle pair row missing right after its insert');
  if (p.locked && p.locked_until) return { ok: false, kind: 'locked', until: new Date(p.locked_until) };
  const wait = delaySeconds(p.failures, config) - (p.since_failure ?? Number.POSITIVE_INFINITY);
  if (wait > 0) return { ok: false, kind: 'wait', seconds: wait };

  const windows = await tx.query<{ kind: string; failures: number; left: number }>(
    `select kind, failures,
            extract(epoch from window_started_at + make_interval(secs => case kind when 'address' then 60 else $3::double precision end) - now())::double precision as left
       from login_throttle where (kind = 'address' and key = $1) or (kind = 'account' and key = $2)`,
    [keys.address, keys.account, config.loginAccountWindowMinutes * 60],
  );
  const address = windows.find((w) => w.kind === 'address');
  if (address && address.left > 0 && address.failures >= config.loginRatePerMinute) return { ok: false, kind: 'wait', seconds: address.left };
  const account = windows.find((w) => w.kind === 'account');
  if (account && account.left > 0 && account.failures >= config.loginAccountMaxFailures && !p.recent_success) {
    return { ok: false, kind: 'wait', seconds: account.left };
  }
  return { ok: true };
}

/** Bumps a windowed counter (a new window once the old one has run out); returns the count. */
async function bump(tx: Queryable, kind: string, key: string, windowSeconds: number): Promise<number> {
  const [r] = await tx.query<{ failures: number }>(
    `insert into login_throttle (kind, key, failures, window_started_at, last_failure_at) values ($1, $2, 1, now(), now())
     on conflict (kind, key) do update set
       failures = case when login_throttle.window_started_at > now() - make_interval(secs => $3::double precision) then login_throttle.failures + 1 else 1 end,
       window_started_at = case when login_throttle.window_started_at > now() - make_interval(secs => $3::double precision) then login_throttle.window_started_at else now() end,
       last_failure_at = now()
     returning failures`,
    [kind, key, windowSeconds],
  );
  return r!.failures;
}

/** Counts a failed sign-in on all three counters; locks the pair at loginMaxFailures. */
export async function recordFailure(tx: Queryable, config: Config, keys: ThrottleKeys): Promise<{ failures: number; lockedUntil: Date | null }> {
  const windowSeconds = config.loginAccountWindowMinutes * 60;
  await bump(tx, 'address', keys.address, 60);
  await bump(tx, 'account', keys.account, windowSeconds);
  const failures = await bump(tx, 'pair', keys.pair, windowSeconds);
  if (failures < config.loginMaxFailures) return { failures, lockedUntil: null };
  const [l] = await tx.query<{ locked_until: Date }>(
    `update login_throttle set failures = 0, window_started_at = now(), locked_until = now() + $2::double precision * interval '1 minute'
      where kind = 'pair' and key = $1 returning locked_until`,
    [keys.pair, config.lockoutMinutes],
  );
  return { failures, lockedUntil: new Date(l!.locked_until) };
}

/** A successful sign-in clears the pair and marks the address as one the owner uses. */
export async function recordSuccess(tx: Queryable, keys: ThrottleKeys): Promise<void> {
  await tx.query(
    `insert into login_throttle (kind, key, last_success_at) values ('pair', $1, now())
     on conflict (kind, key) do update set failures = 0, locked_until = null, last_success_at = now()`,
    [keys.pair],
  );
}

/** An administrator's unlock: the account counter and every address's lock for this user name. */
export async function clearThrottle(tx: Queryable, username: string): Promise<void> {
  // Pairs first, then the account row: the order a sign-in takes its row locks in (no deadlock).
  await tx.query(`update login_throttle set failures = 0, locked_until = null where kind = 'pair' and left(key, length($1) + 1) = $1 || '|'`, [username]);
  await tx.query(`delete from login_throttle where kind = 'account' and key = $1`, [username]);
}
