/** Latency samples per request type → throughput and percentiles. */
export class Recorder {
  private samples = new Map<string, number[]>();
  private errors = new Map<string, number>();
  private errorExamples: string[] = [];

  ok(type: string, ms: number) {
    let a = this.samples.get(type);
    if (!a) this.samples.set(type, (a = []));
    a.push(ms);
  }

  fail(type: string, ms: number, why: string) {
    this.ok(type, ms);
    this.errors.set(type, (this.errors.get(type) ?? 0) + 1);
    if (this.errorExamples.length < 20) this.errorExamples.push(`${type}: ${why}`);
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
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export const round = (x: number) => Math.round(x * 10) / 10;
