// Free text → ranked codes: character n-gram BM25 retrieval over names, synonyms and coded examples,
// then a linear re-ranker over similarity features, then plausibility checks on sex, age and department.
// CPU only, nothing downloaded: the index is built from the code system's own names (and examples).
import { type Doc, Bm25 } from './bm25.ts';
import { words } from '../text.ts';
import { DEFAULT_WEIGHTS, FEATURE_NAMES, features, linear } from './features.ts';
import { rewrite } from './rewrite.ts';

export interface RecommendInput {
  text: string;
  limit?: number;
  sex?: 'M' | 'F';
  age?: number;
  dept?: string;
}

export interface Recommendation {
  code: string;
  display: string;
  /** 0..1 */
  score: number;
  reasons: string[];
}

export interface Candidate {
  code: string;
  doc: Doc;
  query: string;
  f: number[];
  score: number;
  /** Rewrite rules that produced `query` from the input (empty when it is the input's own wording). */
  rules: string[];
}

const SPLIT = /[;；,，、。\s/+＋]+|(?<![不无伴])(?:伴有|伴|并发|合并|并)/;
const FEMALE_ONLY = /妊娠|分娩|产后|产褥|流产|早产|胎|子宫|卵巢|输卵管|阴道|外阴|宫颈|乳腺(?!.*男)|月经|绝经|孕|盆腔炎|女性/;
const MALE_ONLY = /前列腺|睾丸|附睾|阴茎|精索|阴囊|包皮|男性/;
const CHILD_ONLY = /新生儿|婴儿|小儿|儿童|胎儿/;
const DEPT_HINTS: [RegExp, RegExp][] = [
  [/妇|产/, /妊娠|分娩|产|子宫|卵巢|阴道|宫颈|月经|孕|胎/],
  [/儿/, /新生儿|婴儿|小儿|儿童/],
  [/眼/, /眼|视|角膜|结膜|晶状体|视网膜|青光眼|白内障/],
  [/耳鼻|五官/, /耳|鼻|咽|喉|扁桃体/],
  [/口腔/, /牙|口腔|龈|颌/],
  [/心/, /心|冠状|动脉|高血压|心律|房颤/],
  [/骨|创伤/, /骨|关节|脊|椎|骨折/],
  [/神经/, /脑|神经|癫痫|卒中|帕金森/],
  [/皮肤/, /皮|疹|癣|疣/],
  [/肿瘤/, /瘤|癌|肿/],
];

export function segmentsOf(text: string): string[] {
  const parts = text
    .split(SPLIT)
    .map((s) => s.trim())
    .filter((s) => [...s].length >= 2);
  return [...new Set([text.trim(), ...parts])].filter(Boolean);
}

/**
 * The phrases searched for one input: the whole text and its segments, each followed by its table-style
 * rewrite when a rule applies (abbreviation, hedge, laterality, coding convention; see rewrite.ts).
 */
export function queriesOf(text: string): { text: string; segment: boolean; rules: string[] }[] {
  const out: { text: string; segment: boolean; rules: string[] }[] = [];
  const seen = new Set<string>();
  const add = (t: string, segment: boolean, rules: string[]) => {
    if (seen.has(t) || [...t].length < 2) return;
    seen.add(t);
    out.push({ text: t, segment, rules });
  };
  segmentsOf(text).forEach((seg, i) => {
    add(seg, i > 0, []);
    const r = rewrite(seg);
    if (r.rules.length) add(r.text, i > 0, r.rules);
  });
  return out;
}

/** A coded example: a whole free text and the codes a coder gave it. */
export interface Example {
  text: string;
  codes: string[];
}

export class Recommender {
  readonly bm25: Bm25;
  private readonly prior: Map<string, number>;
  private readonly examples: Example[];
  private readonly exampleIndex: Bm25 | null;
  /** code → smoothed share of times it was the answer when it was a candidate (learned from coded examples). */
  precision = new Map<string, number>();
  /** The share used for codes without such a record. */
  precisionDefault = 0;

  constructor(
    docs: Doc[],
    private readonly names: ReadonlyMap<string, string>,
    private readonly weights: readonly number[] = DEFAULT_WEIGHTS,
    prior?: Map<string, number>,
    examples: Example[] = [],
  ) {
    this.bm25 = new Bm25(docs);
    this.prior = prior ?? new Map();
    this.examples = examples;
    this.exampleIndex = examples.length ? new Bm25(examples.map((e, i) => ({ code: String(i), text: e.text, source: 'example' }))) : null;
  }

  /** Codes of the nearest coded examples, weighted by similarity: code → share (0..1). */
  private neighbours(text: string, exclude?: ReadonlySet<number>): Map<string, number> {
    const out = new Map<string, number>();
    if (!this.exampleIndex) return out;
    const hits = this.exampleIndex.search(text, 10, exclude);
    const max = hits[0]?.[1] ?? 0;
    let total = 0;
    for (const [id, s] of hits) {
      const w = (s / max) ** 2;
      total += w;
      for (const c of this.examples[id]!.codes) out.set(c, (out.get(c) ?? 0) + w);
    }
    for (const [c, v] of out) out.set(c, v / total);
    return out;
  }

  /** One candidate per code: the best (segment, document) pair under the re-ranker. */
  candidates(
    text: string,
    opts: { pool?: number; exclude?: ReadonlySet<number>; excludeExamples?: ReadonlySet<number>; weights?: readonly number[] } = {},
  ): Candidate[] {
    const w = opts.weights ?? this.weights;
    const best = new Map<string, Candidate>();
    const knn = this.neighbours(text, opts.excludeExamples);
    for (const { text: seg, segment, rules } of queriesOf(text)) {
      const hits = this.bm25.search(seg, opts.pool ?? 30, opts.exclude);
      const ws = words(seg);
      const max = hits[0]?.[1] ?? 0;
      const seenCodes = new Map<string, number>();
      hits.forEach(([id, s]) => {
        const doc = this.bm25.docs[id]!;
        const rank = seenCodes.get(doc.code) ?? seenCodes.size;
        seenCodes.set(doc.code, rank);
        const f = features({
          query: seg,
          doc: doc.text,
          source: doc.source,
          bm25: s,
          bm25Max: max,
          rank,
          prior: this.prior.get(doc.code) ?? 0,
          segment,
          wordCover: this.bm25.wordCover(ws, id),
          knn: knn.get(doc.code) ?? 0,
          codePrecision: this.precision.get(doc.code) ?? this.precisionDefault,
          rewritten: rules.length > 0,
        });
        const score = linear(w, f);
        const cur = best.get(doc.code);
        if (!cur || score > cur.score) best.set(doc.code, { code: doc.code, doc, query: seg, f, score, rules });
      });
    }
    // Codes the neighbours carry that retrieval by name missed: scored against their name and the whole text.
    for (const [code, share] of knn) {
      if (best.has(code) || !this.names.has(code)) continue;
      const doc: Doc = { code, text: this.names.get(code) as string, source: 'name' };
      const f = features({
        query: text,
        doc: doc.text,
        source: 'name',
        bm25: 0,
        bm25Max: 1,
        rank: 30,
        prior: this.prior.get(code) ?? 0,
        segment: false,
        wordCover: 0,
        knn: share,
        codePrecision: this.precision.get(code) ?? this.precisionDefault,
        rewritten: false,
      });
      best.set(code, { code, doc, query: text, f, score: linear(w, f), rules: [] });
    }
    return [...best.values()].sort((a, b) => b.score - a.score);
  }

  recommend(input: RecommendInput): Recommendation[] {
    const cands = this.candidates(input.text, { pool: 40 });
    const out: Recommendation[] = [];
    for (const c of cands) {
      const display = this.names.get(c.code) ?? c.doc.text;
      const reasons = this.reasonsOf(c);
      let adj = 0;
      if (input.sex === 'M' && FEMALE_ONLY.test(display)) {
        adj -= 4;
        reasons.push('与性别（男）不符，已降低');
      }
      if (input.sex === 'F' && MALE_ONLY.test(display)) {
        adj -= 4;
        reasons.push('与性别（女）不符，已降低');
      }
      if (input.age !== undefined && input.age >= 18 && CHILD_ONLY.test(display)) {
        adj -= 2;
        reasons.push(`与年龄（${input.age} 岁）不符，已降低`);
      }
      if (input.dept) {
        const hint = DEPT_HINTS.find(([d]) => d.test(input.dept as string));
        if (hint?.[1].test(display)) {
          adj += 0.5;
          reasons.push(`与科室（${input.dept}）相符`);
        }
      }
      out.push({ code: c.code, display, score: 1 / (1 + Math.exp(-(c.score + adj))), reasons });
    }
    out.sort((a, b) => b.score - a.score);
    return out.slice(0, input.limit ?? 10).map((r) => ({ ...r, score: Math.round(r.score * 1000) / 1000 }));
  }

  private reasonsOf(c: Candidate): string[] {
    const r: string[] = [];
    const f = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, c.f[i]])) as Record<(typeof FEATURE_NAMES)[number], number>;
    const src = c.doc.source === 'mention' ? `已编码的同类写法“${c.doc.text}”` : c.doc.source === 'synonym' ? `同义词“${c.doc.text}”` : `名称“${c.doc.text}”`;
    if (f.exact) r.push(`与${src}完全一致`);
    else if (f.contains) r.push(`${src}与输入“${c.query}”互相包含`);
    else r.push(`${src}与输入“${c.query}”字面相似（${Math.round(f.bigramJaccard * 100)}%）`);
    if (c.rules.length) r.push(`按编码习惯改写输入（${c.rules.join('，')}）`);
    if (f.knn > 0.2) r.push(`相似的已编码病例中 ${Math.round(f.knn * 100)}% 使用此代码`);
    if (f.prior > 0.3) r.push('常用代码');
    return r;
  }
}
