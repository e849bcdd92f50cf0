import type { Concept } from '../model.ts';
import type { Doc } from './bm25.ts';

/**
 * What the recommender searches for one code system version: each active codable concept's name and its
 * designations (synonyms, abbreviations, English names added through change requests or import).
 * Chapters and blocks are never an answer. A category whose name one of the codes below it repeats (C61
 * 前列腺恶性肿瘤 over C61.x00 前列腺恶性肿瘤) is left out: the code below is the same disease, and the
 * one a coder can use.
 */
export function recommenderDocs(concepts: Iterable<Concept>): { docs: Doc[]; names: Map<string, string> } {
  const all = [...concepts].filter((c) => c.status === 'active' && c.kind !== 'chapter' && c.kind !== 'block');
  const repeated = new Set<string>();
  const byCode = new Map(all.map((c) => [c.code, c]));
  for (const c of all) {
    // Up the whole line of ancestors: B01 水痘 is repeated by B01.900x001 水痘, two levels down.
    const seen = new Set<string>();
    const up = [...c.parents];
    while (up.length) {
      const p = up.pop() as string;
      if (seen.has(p)) continue;
      seen.add(p);
      const parent = byCode.get(p);
      if (!parent) continue;
      if (parent.display === c.display) repeated.add(p);
      up.push(...parent.parents);
    }
  }
  const docs: Doc[] = [];
  const names = new Map<string, string>();
  for (const c of all) {
    if (repeated.has(c.code)) continue;
    names.set(c.code, c.display);
    docs.push({ code: c.code, text: c.display, source: 'name' });
    for (const d of c.designations) docs.push({ code: c.code, text: d.value, source: 'synonym' });
  }
  return { docs, names };
}
