// Shared by the terminology bench and its miss report: turning normalization sets into items, fitting the
// recommender on a training split (coded examples + learned re-ranker weights) and scoring a held-out split.
import type { Doc } from '../server/src/systems/hospital-monitoring/terminology/recommend/bm25.ts';
import { DEFAULT_WEIGHTS, FEATURE_NAMES, trainListwise, trainLogistic } from '../server/src/systems/hospital-monitoring/terminology/recommend/features.ts';
import { Recommender, segmentsOf } from '../server/src/systems/hospital-monitoring/terminology/recommend/recommender.ts';

export interface Item {
  text: string;
  gold: Set<string>;
  labels: number;
}

export function indexNames(rows: string[][]) {
  const names = new Map<string, string>();
  const byName = new Map<string, string[]>();
  for (const [code, name] of rows) {
    names.set(code!, name!);
    byName.set(name!, [...(byName.get(name!) ?? []), code!]);
  }
  return { names, byName };
}

export function toItems(pairs: [string, string][], byName: Map<string, string[]>): { items: Item[]; unmatched: number; labels: number } {
  let unmatched = 0;
  let labels = 0;
  const items = pairs.map(([text, norm]) => {
    const gold = new Set<string>();
    const ls = norm.split('##').filter(Boolean);
    for (const l of ls) {
      labels++;
      const codes = byName.get(l);
      if (codes) for (const c of codes) gold.add(c);
      else unmatched++;
    }
    return { text, gold, labels: ls.length };
  });
  return { items, unmatched, labels };
}

const overlap = (a: string, b: string) => {
  const bs = new Set([...b]);
  return [...new Set([...a])].filter((c) => bs.has(c)).length / Math.max(1, new Set([...a, ...b]).size);
};

/**
 * Coded examples from the training items: a single-label text is a mention of its code; a multi-label
 * text is cut into segments and each segment is aligned to the gold label it shares most characters with.
 */
export function mentionDocs(train: Item[], names: Map<string, string>): { docs: Doc[]; owner: number[] } {
  const docs: Doc[] = [];
  const owner: number[] = [];
  train.forEach((it, i) => {
    if (it.gold.size === 0) return;
    if (it.gold.size === 1 && it.labels === 1) {
      docs.push({ code: [...it.gold][0]!, text: it.text, source: 'mention' });
      owner.push(i);
      return;
    }
    for (const seg of segmentsOf(it.text).slice(1)) {
      let best: [string, number] = ['', 0];
      for (const c of it.gold) {
        const o = overlap(seg, names.get(c) ?? '');
        if (o > best[1]) best = [c, o];
      }
      if (best[1] >= 0.2) {
        docs.push({ code: best[0], text: seg, source: 'mention' });
        owner.push(i);
      }
    }
  });
  return { docs, owner };
}

export function prior(train: Item[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of train) for (const c of it.gold) m.set(c, (m.get(c) ?? 0) + 1);
  return m;
}

/** Builds the recommender for one training split and learns the re-ranker on it (leave-one-out). */
export function fit(names: Map<string, string>, train: Item[], maxTrain: number) {
  const nameDocs: Doc[] = [...names].map(([code, text]) => ({ code, text, source: 'name' }));
  const { docs, owner } = mentionDocs(train, names);
  const examples = train.map((it) => ({ text: it.text, codes: [...it.gold] }));
  const rec = new Recommender([...nameDocs, ...docs], names, DEFAULT_WEIGHTS, prior(train), examples);
  const ownDoc = new Map<number, Set<number>>();
  owner.forEach((itemIdx, k) => {
    const s = ownDoc.get(itemIdx) ?? new Set<number>();
    s.add(nameDocs.length + k);
    ownDoc.set(itemIdx, s);
  });
  // Candidates of the training texts, each with its own mention and example hidden (leave-one-out).
  const groups: { codes: string[]; f: number[][]; y: number[] }[] = [];
  const step = Math.max(1, Math.floor(train.length / maxTrain));
  for (let i = 0; i < train.length; i += step) {
    const it = train[i]!;
    if (it.gold.size === 0) continue;
    const cands = rec.candidates(it.text, { pool: 30, exclude: ownDoc.get(i), excludeExamples: new Set([i]) }).slice(0, 30);
    groups.push({ codes: cands.map((c) => c.code), f: cands.map((c) => c.f), y: cands.map((c) => (it.gold.has(c.code) ? 1 : 0)) });
  }
  // Code precision: how often a code was the answer when it was a candidate, smoothed towards the overall
  // share; each training row sees the figure without its own query (leave-one-out), the model the full one.
  const seen = new Map<string, number>();
  const right = new Map<string, number>();
  let pos = 0;
  let all = 0;
  for (const g of groups)
    g.codes.forEach((c, j) => {
      seen.set(c, (seen.get(c) ?? 0) + 1);
      right.set(c, (right.get(c) ?? 0) + g.y[j]!);
      pos += g.y[j]!;
      all++;
    });
  const base = pos / Math.max(1, all);
  const SMOOTH = 3;
  const share = (r: number, n: number) => (r + SMOOTH * base) / (n + SMOOTH);
  const P = FEATURE_NAMES.indexOf('codePrecision');
  for (const g of groups)
    g.codes.forEach((c, j) => {
      g.f[j]![P] = share((right.get(c) ?? 0) - g.y[j]!, (seen.get(c) ?? 0) - 1);
    });
  rec.precision = new Map([...seen].map(([c, n]) => [c, share(right.get(c) ?? 0, n)]));
  rec.precisionDefault = base;
  const rows = groups.flatMap((g) => g.f.map((f, j) => ({ f, y: g.y[j]! })));
  const logistic = trainLogistic(rows);
  const weights = trainListwise(groups, logistic);
  return { rec, weights };
}

export function evaluate(rec: Recommender, weights: readonly number[], test: Item[], ks: number[]) {
  const hits = Object.fromEntries(ks.map((k) => [k, 0])) as Record<number, number>;
  let labelRecall10 = 0;
  let labels = 0;
  let n = 0;
  const times: number[] = [];
  for (const it of test) {
    if (it.gold.size === 0) continue;
    n++;
    const t0 = performance.now();
    const top = rec
      .candidates(it.text, { pool: 30, weights })
      .slice(0, Math.max(...ks))
      .map((c) => c.code);
    times.push(performance.now() - t0);
    for (const k of ks) if (top.slice(0, k).some((c) => it.gold.has(c))) hits[k]!++;
    labels += it.gold.size;
    labelRecall10 += top.slice(0, 10).filter((c) => it.gold.has(c)).length;
  }
  return { n, hits, labelRecall10: labelRecall10 / Math.max(1, labels), times };
}
