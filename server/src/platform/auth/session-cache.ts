import type { Queryable } from '../db/types.ts';
import type { Kernel } from '../kernel.ts';
import type { SessionAuth } from './authenticate.ts';

/** NOTIFY channel on which every process hears "<userId>:<generation>" after a committed auth change. */
export const AUTH_CHANNEL = 'weijian_auth';
/** How long a cached session is trusted at most, whatever happens to the notifications. */
export const SESSION_CACHE_TTL_MS = 30_000;
export const SESSION_CACHE_MAX = 10_000;
/** last_seen_at is written at most this often per session and process (idle expiry granularity). */
export const LAST_SEEN_WRITE_MS = 60_000;

export interface CachedSession {
  auth: SessionAuth;
  userId: number;
  generation: number;
  builtAt: number;
  expiresAt: number;
  lastSeenAt: number;
}

/**
 * Generations announced by changes made in this process, before their commit: the next request in this
 * process must not use an older cache entry even if the NOTIFY has not come back yet. Process-wide
 * (a change's transaction does not know its kernel); a bump whose transaction rolls back only makes
 * that user's later look-ups skip the cache until the next bump.
 */
const localGenerations = new Map<number, number>();

function raise(m: Map<number, number>, userId: number, generation: number): void {
  if ((m.get(userId) ?? 0) < generation) m.set(userId, generation);
}

/** Bounded LRU of session look-ups keyed by the session id (the SM3 digest of the token). */
export class SessionCache {
  private readonly entries = new Map<string, CachedSession>();
  private readonly notified = new Map<number, number>();
  /** False while the LISTEN connection is down (PostgreSQL): nothing is cached or served from cache. */
  enabled: boolean;
  readonly stats = { hits: 0, queries: 0, lastSeenWrites: 0, notifications: 0 };

  constructor(enabled: boolean) {
    this.enabled = enabled;
  }

  private minimum(userId: number): number {
    return Math.max(this.notified.get(userId) ?? 0, localGenerations.get(userId) ?? 0);
  }

  get(id: string, now: number): CachedSession | null {
    if (!this.enabled) return null;
    const e = this.entries.get(id);
    if (!e) return null;
    if (now - e.builtAt > SESSION_CACHE_TTL_MS || e.generation < this.minimum(e.userId) || now >= e.expiresAt) {
      this.entries.delete(id);
      return null;
    }
    // Most recently used goes last; eviction takes the first.
    this.entries.delete(id);
    this.entries.set(id, e);
    return e;
  }

  set(id: string, e: CachedSession): void {
    // Read before a change committed (an older generation than one already heard of): not cached.
    if (!this.enabled || e.generation < this.minimum(e.userId)) return;
    this.entries.delete(id);
    this.entries.set(id, e);
    while (this.entries.size > SESSION_CACHE_MAX) {
      const first = this.entries.keys().next().value;
      if (first === undefined) break;
      this.entries.delete(first);
    }
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  /** A NOTIFY payload "<userId>:<generation>". */
  heard(payload: string): void {
    this.stats.notifications++;
    const [u, g] = payload.split(':').map(Number);
    if (u !== undefined && g !== undefined && Number.isFinite(u) && Number.isFinite(g)) raise(this.notified, u, g);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

const caches = new WeakMap<Kernel, SessionCache>();

/** The kernel's session cache; created on first use (auth module's onStart starts its LISTEN). */
export function sessionCacheOf(kernel: Kernel): SessionCache {
  let c = caches.get(kernel);
  if (!c) {
    // PostgreSQL: no caching until LISTEN is up. PGlite is one process: local invalidation is complete.
    c = new SessionCache(kernel.db.kind === 'pglite');
    caches.set(kernel, c);
  }
  return c;
}

/** Subscribes the kernel's cache to other processes' changes (PostgreSQL); PGlite needs nothing. */
export async function startSessionCache(kernel: Kernel): Promise<void> {
  const cache = sessionCacheOf(kernel);
  if (!kernel.db.listen) return;
  // A failed first connection retries in the background; until then nothing is cached.
  await kernel.db
    .listen(AUTH_CHANNEL, {
      message: (payload) => cache.heard(payload),
      // Notifications may have been missed while the connection was away: forget everything.
      up: () => {
        cache.clear();
        cache.enabled = true;
      },
      down: () => {
        cache.enabled = false;
        cache.clear();
      },
    })
    .catch((e) => kernel.log.warn(`session cache: LISTEN ${AUTH_CHANNEL} failed, retrying: ${(e as Error).message}`));
}

/**
 * The SQL half of an auth change: a new generation for the user, announced to every process when the
 * transaction commits (NOTIFY is transactional). Another process (the CLI) may call only this.
 */
export async function announceAuthChange(tx: Queryable, userId: number): Promise<number> {
  const [r] = await tx.query<{ generation: number }>(
    `with g as (
       insert into auth_generation (user_id, generation) values ($1, nextval('auth_generation_seq'))
       on conflict (user_id) do update set generation = excluded.generation
       returning generation)
     select g.generation, pg_notify('${AUTH_CHANNEL}', $1::text || ':' || g.generation::text) from g`,
    [userId],
  );
  return Number(r!.generation);
}

/**
 * Every change to a user's sessions or to what their sessions may do calls this inside its transaction:
 * the NOTIFY reaches the other processes on commit, and this process stops using older entries at once.
 */
export async function bumpAuthGeneration(tx: Queryable, userId: number): Promise<void> {
  const generation = await announceAuthChange(tx, userId);
  raise(localGenerations, userId, generation);
}
