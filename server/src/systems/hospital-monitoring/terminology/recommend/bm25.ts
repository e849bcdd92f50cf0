import { charNgrams, normalize } from '../text.ts';

export interface Doc {
  /** The code the document names. */
  code: string;
  text: string;
  /** name | synonym | mention (a coded example a user or the training set supplied). */
  source: string;
}

/** Character 1–3-gram BM25 over short names: robust to word order, abbreviations and typos in Chinese. */
export class Bm25 {
  readonly docs: Doc[];
  readonly norm: string[];
  private readonly postings = new Map<string, { ids: Int32Array; tf: Float32Array }>();
  private readonly len: Float32Array;
  private readonly avg: number;
  private readonly scores: Float64Array;
  private readonly k1 = 1.2;
  private readonly b = 0.5;

  constructor(docs: Doc[]) {
    this.docs = docs;
    this.norm = docs.map((d) => normalize(d.text));
    this.len = new Float32Array(docs.length);
    const build = new Map<string, { ids: number[]; tf: number[] }>();
    this.norm.forEach((t, id) => {
      const grams = charNgrams(t);
      this.len[id] = grams.length;
      const counts = new Map<string, number>();
      for (const g of grams) counts.set(g, (counts.get(g) ?? 0) + 1);
      for (const [g, n] of counts) {
        let p = build.get(g);
        if (!p) build.set(g, (p = { ids: [], tf: [] }));
        p.ids.push(id);
        p.tf.push(n);
      }
    });
    for (const [g, p] of build) this.postings.set(g, { ids: Int32Array.from(p.ids), tf: Float32Array.from(p.tf) });
    this.avg = this.len.reduce((a, b) => a + b, 0) / Math.max(1, docs.length);
    this.scores = new Float64Array(docs.length);
  }

  idf(gram: string): number {
    const df = this.postings.get(gram)?.ids.length ?? 0;
    return Math.log(1 + (this.docs.length - df + 0.5) / (df + 0.5));
  }

  /** Share of the query's words (jieba, weighted by length) that the document contains. */
  wordCover(queryWords: readonly string[], docId: number): number {
    const d = this.norm[docId]!;
    let all = 0;
    let hit = 0;
    for (const w of queryWords) {
      all += w.length;
      if (d.includes(w)) hit += w.length;
    }
    return all > 0 ? hit / all : 0;
  }

  /** Best documents for a text: [doc id, score], best first. `exclude` hides documents (leave-one-out). */
  search(text: string, limit: number, exclude?: ReadonlySet<number>): [number, number][] {
    const q = normalize(text);
    const grams = new Map<string, number>();
    for (const g of charNgrams(q)) grams.set(g, (grams.get(g) ?? 0) + 1);
    const touched: number[] = [];
    const s = this.scores;
    for (const [g, qtf] of grams) {
      const p = this.postings.get(g);
      if (!p) continue;
      // Very common single characters cost much and say little.
      if (g.length === 1 && p.ids.length > this.docs.length * 0.05) continue;
      const idf = this.idf(g) * (g.length === 1 ? 0.5 : g.length === 2 ? 1 : 1.3) * Math.min(qtf, 2);
      for (let i = 0; i < p.ids.length; i++) {
        const id = p.ids[i]!;
        const tf = p.tf[i]!;
        if (s[id] === 0) touched.push(id);
        s[id]! += (idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * this.len[id]!) / this.avg));
      }
    }
    const out: [number, number][] = [];
    for (const id of touched) {
      if (!exclude?.has(id)) out.push([id, s[id]!]);
      s[id] = 0;
    }
    out.sort((a, b) => b[1] - a[1]);
    return out.slice(0, limit);
  }
}
