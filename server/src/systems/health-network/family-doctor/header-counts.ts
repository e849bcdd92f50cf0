/**
 * The 签约管理 header statistics, cached per server. Counting a district's contracts by colour under a tag
 * reads tens of thousands of index entries; every list page asks for it again. An entry is keyed by the
 * caller's data scope (row-level security decides what is counted), the filter, the colour bounds (today and
 * the policy) and the count generation of the districts counted — bumped by triggers on every statement that
 * changes contracts or key-population tags (family-doctor migration 013, key-populations 003). The generation
 * is read in the caller's own transaction before the count, so an entry is never older than what the caller
 * would count itself; a change anywhere in the district simply makes the next request count again.
 */
import { TAGS } from '../key-populations/service.ts';
import type { HeaderCounts } from './repository.ts';
import type { FdCtx } from './shapes.ts';

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

const NONE: HeaderCounts = { green: 0, yellow: 0, red: 0, total: 0 };

/**
 * `generation`: read in the caller's transaction before the count (loadPolicyAndGeneration). A miss counts the
 * filter for every tag at once (`countAll`, countContractsByTag) and enters them all: the next request for the
 * same district with another tag is a hit. Requests that miss on the same key at once share one count.
 */
export async function cachedHeaderCounts(
  ctx: FdCtx,
  k: CountKey,
  generation: string,
  countAll: () => Promise<{ any: HeaderCounts; byTag: Map<string, HeaderCounts> }>,
): Promise<HeaderCounts> {
  let cache = caches.get(ctx.kernel);
  if (!cache) caches.set(ctx.kernel, (cache = new Map()));
  const s = ctx.principal.scope;
  const keyOf = (tag: string | undefined) =>
    JSON.stringify([
      s.level, s.districtCode ?? null, s.streetCode ?? null, s.institutionId ?? null, s.teamId ?? null, s.practitionerId ?? null,
      generation, k.status, k.district ?? null, k.institutionId ?? null, k.teamId ?? null, k.doctorId ?? null, tag ?? null, k.bounds.greenAfter, k.bounds.redBefore,
    ]);
  const pick = (all: { any: HeaderCounts; byTag: Map<string, HeaderCounts> }, tag: string | undefined) => (tag === undefined ? all.any : (all.byTag.get(tag) ?? NONE));
  const wanted = keyOf(k.tag);
  const shared = cache.get(wanted);
  if (shared) {
    try {
      return await shared;
    } catch {
      // The sharing request failed (its transaction, not the count): count here.
      return pick(await countAll(), k.tag);
    }
  }
  const all = countAll();
  for (const tag of [undefined, ...TAGS]) {
    const key = keyOf(tag);
    // Oldest first out (a Map keeps insertion order); entries of past generations age out this way.
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    const one = all.then((a) => pick(a, tag));
    one.catch(() => cache.delete(key)); // handled here; the caller awaits its own key
    cache.set(key, one);
  }
  return pick(await all, k.tag);
}
