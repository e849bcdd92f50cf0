/** Latency samples per request type → throughput and percentiles. */
export class Recorder {
  private samples = new Map<string, number[]>();
  private errors = new Map<string, number>();
  private errorExamples: string[] = [];
  /** [finished at (ms since epoch), latency ms] of every sample: where in the run the slow ones fall. */
  private timeline: [number, number][] = [];

  ok(type: string, ms: number) {
    this.timeline.push([Date.now(), ms]);
    let a = this.samples.get(type);
    if (!a) this.samples.set(type, (a = []));
    a.push(ms);
  }

  fail(type: string, ms: number, why: string) {
    this.ok(type, ms);
    this.errors.set(type, (this.errors.get(type) ?? 0) + 1);
    if (this.errorExamples.length < 20) this.errorExamples.push(`${type}: ${why}`);
  }

  /** p99 of all request types per window of `size` seconds from `from` (ms since epoch), in order. */
  p99ByWindow(from: number, size: number): { startS: number; count: number; p99: number }[] {
    const out = new Map<number, number[]>();
    for (const [at, ms] of this.timeline) {
      if (at < from) continue;
      const w = Math.floor((at - from) / 1000 / size) * size;
      let a = out.get(w);
      if (!a) out.set(w, (a = []));
      a.push(ms);
    }
    return [...out]
      .sort((a, b) => a[0] - b[0])
      .map(([startS, a]) => ({
        startS,
        count: a.length,
        p99: round(
          pct(
            a.sort((x, y) => x - y),
            0.99,
          ),
        ),
      }));
  }

  summary(seconds: number) {
    const types: Record<string, TypeStats> = {};
    let total = 0;
    let errors = 0;
    for (const [type, a] of [...this.samples].sort()) {
      a.sort((x, y) => x - y);
      const e = this.errors.get(type) ?? 0;
      total += a.length;
      errors += e;
      types[type] = {
        count: a.length,
        errors: e,
        perSecond: round(a.length / seconds),
        p50: round(pct(a, 0.5)),
        p95: round(pct(a, 0.95)),
        p99: round(pct(a, 0.99)),
        max: round(a[a.length - 1] ?? 0),
        mean: round(a.reduce((s, x) => s + x, 0) / Math.max(1, a.length)),
      };
    }
    return { seconds, requests: total, errors, perSecond: round(total / seconds), types, errorExamples: this.errorExamples };
  }
}

export interface TypeStats {
  count: number;
  errors: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export const round = (x: number) => Math.round(x * 10) / 10;
