import type { ConceptRow } from './model.ts';
import { normalize, words } from './text.ts';

export interface IndexEntry {
  code: string;
  display: string;
  status: string;
  kind: string;
  parents: string[];
  pinyin: string;
  initials: string;
  /** Normalised display and designation values. */
  names: string[];
  codeLower: string;
}

export interface SearchHit {
  code: string;
  display: string;
  status: string;
  score: number;
  /** How the text matched: code, name, synonym, words, pinyin, initials. */
  matchedBy: string;
  /** Codes from the root down to this concept's parent. */
  path: { code: string; display: string }[];
}

/** An in-memory index of one version of a code system: search by code, words, synonyms and pinyin. */
export class TermIndex {
  readonly entries: IndexEntry[];
  readonly byCode = new Map<string, IndexEntry>();
  readonly concepts = new Map<string, ConceptRow>();
  private kids: Map<string, string[]> | null = null;

  constructor(concepts: readonly ConceptRow[]) {
    for (const c of concepts) this.concepts.set(c.code, c);
    this.entries = concepts.map((c) => ({
      code: c.code,
      display: c.display,
      status: c.status,
      kind: c.kind,
      parents: c.parents,
      pinyin: c.pinyin,
      initials: c.initials,
      names: [normalize(c.display), ...c.designations.filter((d) => !d.use.startsWith('pinyin')).map((d) => normalize(d.value))],
      codeLower: c.code.toLowerCase(),
    }));
    for (const e of this.entries) this.byCode.set(e.code, e);
  }

  children(code: string): string[] {
    if (!this.kids) {
      this.kids = new Map();
      for (const e of this.entries) for (const p of e.parents) this.kids.set(p, [...(this.kids.get(p) ?? []), e.code]);
    }
    return this.kids.get(code) ?? [];
  }

  /** All codes below `code` (not itself), depth first. */
  descendants(code: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>([code]);
    const walk = (c: string) => {
      for (const k of this.children(c)) {
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(k);
        walk(k);
      }
    };
    walk(code);
    return out;
  }

  /** Is `b` below `a` (following parents)? */
  isAncestor(a: string, b: string): boolean {
    const seen = new Set<string>();
    const stack = [...(this.byCode.get(b)?.parents ?? [])];
    while (stack.length) {
      const p = stack.pop() as string;
      if (p === a) return true;
      if (seen.has(p)) continue;
      seen.add(p);
      stack.push(...(this.byCode.get(p)?.parents ?? []));
    }
    return false;
  }

  path(code: string): { code: string; display: string }[] {
    const out: { code: string; display: string }[] = [];
    const seen = new Set<string>();
    let e = this.byCode.get(code);
    while (e?.parents[0] && !seen.has(e.parents[0])) {
      seen.add(e.parents[0]);
      e = this.byCode.get(e.parents[0]);
      if (e) out.unshift({ code: e.code, display: e.display });
    }
    return out;
  }

  /** One score per concept; higher is better; 0 is no match. Shorter names win ties (closer to the query). */
  private score(e: IndexEntry, q: string, qn: string, latin: boolean, ws: string[]): [number, string] {
    if (e.codeLower === q) return [1000, 'code'];
    if (/^[a-z0-9.]+$/.test(q) && /\d/.test(q) && e.codeLower.startsWith(q)) return [900 - (e.code.length - q.length), 'code'];
    let best: [number, string] = [0, ''];
    const take = (s: number, by: string) => {
      if (s > best[0]) best = [s, by];
    };
    e.names.forEach((n, i) => {
      const by = i === 0 ? 'name' : 'synonym';
      const bonus = i === 0 ? 20 : 0;
      if (n === qn) take(800 + bonus, by);
      else if (n.startsWith(qn)) take(700 + bonus - Math.min(n.length - qn.length, 50), by);
      else if (n.includes(qn)) take(600 + bonus - Math.min(n.length - qn.length, 50), by);
    });
    if (latin && q.length >= 2) {
      if (e.initials === q) take(560, 'initials');
      else if (e.initials.startsWith(q)) take(520 - Math.min(e.initials.length - q.length, 50), 'initials');
      if (e.pinyin === q) take(560, 'pinyin');
      else if (e.pinyin.startsWith(q)) take(510 - Math.min(e.pinyin.length - q.length, 50), 'pinyin');
      else if (q.length >= 3 && e.initials.includes(q)) take(450 - Math.min(e.initials.length - q.length, 50), 'initials');
      else if (q.length >= 4 && e.pinyin.includes(q)) take(440 - Math.min(e.pinyin.length - q.length, 50), 'pinyin');
    }
    if (best[0] === 0 && ws.length > 1) {
      const hay = e.names.join('|');
      const hit = ws.filter((w) => hay.includes(w));
      if (hit.length === ws.length) take(400 - Math.min(e.names[0]!.length, 50), 'words');
      else if (hit.length >= Math.ceil(ws.length / 2)) take(200 * (hit.length / ws.length) - Math.min(e.names[0]!.length, 50) / 10, 'words');
    }
    return best;
  }

  search(text: string, opts: { offset?: number; limit?: number; includeRetired?: boolean } = {}): { total: number; hits: SearchHit[] } {
    const q = text.trim().toLowerCase();
    const qn = normalize(text);
    if (!qn) return { total: 0, hits: [] };
    const latin = /^[a-z]+$/.test(qn);
    const ws = latin ? [] : [...new Set(words(text))].filter((w) => w.length > 1 || /[\u4e00-\u9fff]/.test(w));
    const scored: { e: IndexEntry; s: number; by: string }[] = [];
    for (const e of this.entries) {
      if (!opts.includeRetired && e.status !== 'active') continue;
      const [s, by] = this.score(e, q, qn, latin, ws);
      if (s > 0) scored.push({ e, s, by });
    }
    scored.sort((a, b) => b.s - a.s || a.e.code.localeCompare(b.e.code));
    const offset = opts.offset ?? 0;
    const limit = opts.limit ?? 20;
    return {
      total: scored.length,
      hits: scored.slice(offset, offset + limit).map(({ e, s, by }) => ({
        code: e.code,
        display: e.display,
        status: e.status,
        score: Math.round(s * 10) / 10,
        matchedBy: by,
        path: this.path(e.code),
      })),
    };
  }
}

/** Indexes keyed by a version's content hash: equal content, equal index, whichever database it came from. */
const cache = new Map<string, TermIndex>();

export function cachedIndex(contentHash: string, build: () => Promise<readonly ConceptRow[]>): Promise<TermIndex> | TermIndex {
  const hit = cache.get(contentHash);
  if (hit) return hit;
  return build().then((rows) => {
    const idx = new TermIndex(rows);
    if (cache.size >= 6) cache.delete(cache.keys().next().value as string);
    cache.set(contentHash, idx);
    return idx;
  });
}
