/**
 * The 签约管理 header statistics, cached per server. Counting a district's contracts by colour (or a team's,
 * a centre's under a tag) reads thousands of index entries, and every list page asks again; city and district
 * users' tag counts come from the kept counts (key-populations 004) and are cheap anyway. An entry is keyed by the
 * caller's data scope (row-level security decides what is counted), the filter, the colour bounds (today and
 * the policy) and the count generation of the districts counted — bumped by triggers on every statement that
 * changes contracts or key-population tags (family-doctor migration 013, key-populations 003). The generation
 * is read in the caller's own transaction before the count, so an entry is never older than what the caller
 * would count itself; a change anywhere in the district simply makes the next request count again.
 */
import type { ServiceContext } from '../../../platform/service-context.ts';
import type { HeaderCounts } from './repository.ts';

const MAX_ENTRIES = 5_000;
/** Per kernel (one database each): tests run several kernels in one process. */
const caches = new WeakMap<object, Map<string, Promise<HeaderCounts>>>();

export interface CountKey {
  status: string;
  district?: string;
  institutionId?: number;
  teamId?: number;
  doctorId?: number;
  tag?: string;
  bounds: { greenAfter: string; redBefore: string };
}

/**
 * `generation`: read in the caller's transaction before the count (loadPolicyAndGeneration). Requests that
 * miss on the same key at once share one count (the first one's) instead of each counting.
 */
export async function cachedHeaderCounts(ctx: ServiceContext, k: CountKey, generation: string, compute: () => Promise<HeaderCounts>): Promise<HeaderCounts> {
  let cache = caches.get(ctx.kernel);
  if (!cache) caches.set(ctx.kernel, (cache = new Map()));
  const s = ctx.principal.scope;
  const key = JSON.stringify([
    s.level,
    s.districtCode ?? null,
    s.streetCode ?? null,
    s.institutionId ?? null,
    s.teamId ?? null,
    s.practitionerId ?? null,
    generation,
    k.status,
    k.district ?? null,
    k.institutionId ?? null,
    k.teamId ?? null,
    k.doctorId ?? null,
    k.tag ?? null,
    k.bounds.greenAfter,
    k.bounds.redBefore,
  ]);
  const shared = cache.get(key);
  if (shared) {
    try {
      return await shared;
    } catch {
      // The sharing request failed (its transaction, not the count): count here.
      return compute();
    }
  }
  const mine = compute();
  // Oldest first out (a Map keeps insertion order); entries of past generations age out this way.
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, mine);
  mine.catch(() => cache.delete(key));
  return mine;
}
