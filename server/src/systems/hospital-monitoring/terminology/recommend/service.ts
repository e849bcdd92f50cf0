import type { Tx } from '../../../../platform/db/types.ts';
import { resolveSystem, type VersionSelector } from '../service.ts';
import { recommenderDocs } from './docs.ts';
import { type RecommendInput, type Recommendation, Recommender } from './recommender.ts';

/** Recommenders keyed by a version's content hash (built on first use: ~1 s for ICD-10). */
const cache = new Map<string, Recommender>();

export interface RecommendResult {
  system: string;
  version: string;
  items: (Recommendation & { path: { code: string; display: string }[] })[];
}

/**
 * Free text (+ optional sex, age, department) → ranked active codes with scores and reasons. The index is
 * the version's own names and designations (synonyms and English names added through change requests).
 */
export async function recommend(tx: Tx, q: RecommendInput & { system: string } & VersionSelector): Promise<RecommendResult> {
  const r = await resolveSystem(tx, q.system, q);
  const key = `${r.version.contentHash}:${r.version.seq}`;
  let rec = cache.get(key);
  if (!rec) {
    const { docs, names } = recommenderDocs(r.index.concepts.values());
    rec = new Recommender(docs, names);
    if (cache.size >= 4) cache.delete(cache.keys().next().value as string);
    cache.set(key, rec);
  }
  const items = rec.recommend(q).map((x) => ({ ...x, path: r.index.path(x.code) }));
  return { system: r.system.url, version: r.version.version, items };
}
