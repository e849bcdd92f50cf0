import { normalize } from '../text.ts';

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  const c = [...s];
  if (c.length === 1) out.add(c[0]!);
  for (let i = 0; i + 1 < c.length; i++) out.add(c[i]! + c[i + 1]!);
  return out;
}

function charSet(s: string): Set<string> {
  return new Set([...s]);
}

/** Longest common substring length (short strings: a small DP is fine). */
function lcs(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let best = 0;
  let prev = new Array(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; i++) {
    const cur = new Array(y.length + 1).fill(0);
    for (let j = 1; j <= y.length; j++) {
      if (x[i - 1] === y[j - 1]) {
        cur[j] = prev[j - 1] + 1;
        if (cur[j] > best) best = cur[j];
      }
    }
    prev = cur;
  }
  return best;
}

/**
 * Modifiers that flip a code's meaning: each entry tests for one side and for the other. A name that says
 * the opposite of what the text says (急性 vs 慢性, 伴 vs 不伴, 1型 vs 2型, …) is the wrong code however close
 * its characters are.
 */
const OPPOSITES: [RegExp, RegExp][] = [
  [/急性/, /慢性/],
  [/(?<![不无])伴/, /(?:不|无)伴/],
  [/良性/, /恶性/],
  [/原发/, /继发/],
  [/单侧/, /双侧/],
  [/开放性/, /闭合性/],
  [/1型/, /2型/],
  [/先天/, /后天|获得性/],
];

/** How many opposite modifiers the name and the query disagree on (0 when they agree or one is silent). */
export function modifierConflicts(query: string, doc: string): number {
  let n = 0;
  for (const [a, b] of OPPOSITES) {
    const qa = a.test(query);
    const qb = b.test(query);
    const da = a.test(doc);
    const db = b.test(doc);
    if ((qa && !qb && db && !da) || (qb && !qa && da && !db)) n++;
  }
  return n;
}

export const FEATURE_NAMES = [
  'bm25',
  'rank',
  'bigramJaccard',
  'docCovered',
  'queryCovered',
  'lcs',
  'exact',
  'contains',
  'mention',
  'synonym',
  'prior',
  'lengthGap',
  'segment',
  'wordCover',
  'knn',
  'codePrecision',
  'rewritten',
  'modifierConflict',
] as const;

export interface Pair {
  /** The query (or the segment of it that matched best). */
  query: string;
  doc: string;
  source: string;
  bm25: number;
  bm25Max: number;
  rank: number;
  prior: number;
  /** Did the match come from a segment of the query rather than the whole? */
  segment: boolean;
  /** Share of the query's words (jieba) the name contains. */
  wordCover: number;
  /** Share of the nearest coded examples (whole texts) that carry this code; 0 without examples. */
  knn: number;
  /**
   * How often this code was right when it came up as a candidate for the coded examples (smoothed, 0..1);
   * a generic code that surfaces for many texts (e.g. the morphology code 癌) but is seldom the answer scores low.
   */
  codePrecision: number;
  /** Was the query a table-style rewrite of the input (rewrite.ts) rather than its own wording? */
  rewritten: boolean;
}

/** Features of one (query, candidate name) pair, all about 0..1. */
export function features(p: Pair): number[] {
  const q = normalize(p.query);
  const d = normalize(p.doc);
  const qb = bigrams(q);
  const db = bigrams(d);
  let inter = 0;
  for (const g of db) if (qb.has(g)) inter++;
  const qc = charSet(q);
  const dc = charSet(d);
  let dIn = 0;
  for (const c of dc) if (qc.has(c)) dIn++;
  let qIn = 0;
  for (const c of qc) if (dc.has(c)) qIn++;
  const l = lcs(q, d);
  return [
    p.bm25Max > 0 ? p.bm25 / p.bm25Max : 0,
    1 / (1 + p.rank),
    inter / Math.max(1, qb.size + db.size - inter),
    dIn / Math.max(1, dc.size),
    qIn / Math.max(1, qc.size),
    l / Math.max(1, Math.max([...q].length, [...d].length)),
    q === d ? 1 : 0,
    q.includes(d) || d.includes(q) ? 1 : 0,
    p.source === 'mention' ? 1 : 0,
    p.source === 'synonym' ? 1 : 0,
    Math.log1p(p.prior) / 5,
    Math.min(1, Math.abs([...q].length - [...d].length) / 10),
    p.segment ? 1 : 0,
    p.wordCover,
    p.knn,
    p.codePrecision,
    p.rewritten ? 1 : 0,
    Math.min(1, modifierConflicts(q, d)),
  ];
}

/** Hand-set weights the product uses (the bench learns its own on training data; see bench/terminology.ts). */
export const DEFAULT_WEIGHTS: number[] = [1.0, 1.0, 1.5, 2.0, 1.0, 1.0, 2.0, 0.5, 0.5, 0.2, 0.5, -0.8, 0, 4.0, 4.0, 0, -0.2, -2.0, -8.5];

/** Linear score: weights[0..n-1] · features + weights[n] (bias). */
export function linear(w: readonly number[], f: readonly number[]): number {
  let s = w[f.length] ?? 0;
  for (let i = 0; i < f.length; i++) s += (w[i] ?? 0) * f[i]!;
  return s;
}

/** Logistic regression by plain SGD over labelled pairs: small, fast, deterministic (fixed order). */
export function trainLogistic(rows: { f: number[]; y: number }[], epochs = 12, rate = 0.1, l2 = 1e-4): number[] {
  const n = rows[0]?.f.length ?? FEATURE_NAMES.length;
  const w = new Array(n + 1).fill(0);
  const pos = rows.filter((r) => r.y === 1).length;
  const posWeight = pos > 0 ? Math.min(20, (rows.length - pos) / pos) : 1;
  for (let e = 0; e < epochs; e++) {
    const lr = rate / (1 + e);
    for (let k = 0; k < rows.length; k++) {
      // A fixed stride walks the rows in a scrambled but reproducible order.
      const r = rows[(k * 7919) % rows.length]!;
      const p = 1 / (1 + Math.exp(-linear(w, r.f)));
      const g = (p - r.y) * (r.y === 1 ? posWeight : 1);
      for (let i = 0; i < n; i++) w[i] -= lr * (g * r.f[i]! + l2 * w[i]!);
      w[n] -= lr * g;
    }
  }
  return w;
}

/**
 * Listwise refinement (softmax over one query's candidates): raises the score of the coded answers against
 * the other candidates of the same query, which is what top-1 measures. Starts from `init` (e.g. the logistic
 * weights, whose bias keeps the scores calibrated) and leaves the bias alone (it cancels within a query).
 */
export function trainListwise(groups: { f: number[][]; y: number[] }[], init: readonly number[], epochs = 20, rate = 0.05, l2 = 1e-4): number[] {
  const w = [...init];
  const n = w.length - 1;
  const usable = groups.filter((g) => g.y.some((y) => y === 1) && g.y.some((y) => y === 0));
  for (let e = 0; e < epochs; e++) {
    const lr = rate / (1 + 0.2 * e);
    for (let k = 0; k < usable.length; k++) {
      const g = usable[(k * 7919) % usable.length]!;
      const s = g.f.map((f) => linear(w, f));
      const max = Math.max(...s);
      const ex = s.map((v) => Math.exp(v - max));
      const all = ex.reduce((a, b) => a + b, 0);
      const gold = ex.reduce((a, v, i) => a + (g.y[i] ? v : 0), 0);
      const grad = new Array(n).fill(0);
      for (let j = 0; j < s.length; j++) {
        const d = ex[j]! / all - (g.y[j] ? ex[j]! / gold : 0);
        for (let i = 0; i < n; i++) grad[i] += d * g.f[j]![i]!;
      }
      for (let i = 0; i < n; i++) w[i]! -= lr * (grad[i]! + l2 * w[i]!);
    }
  }
  return w;
}
