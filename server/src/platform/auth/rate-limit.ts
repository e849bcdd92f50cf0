import type { Kernel } from '../kernel.ts';

/** Sliding one-minute window per key, in memory (one process; enough to blunt password guessing). */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Records an attempt; false when the key has used up its attempts in the window. */
  take(key: string, now = Date.now()): boolean {
    if (this.hits.size > 10_000) this.sweep(now);
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    const ok = recent.length < this.limit;
    if (ok) recent.push(now);
    this.hits.set(key, recent);
    return ok;
  }

  private sweep(now: number): void {
    for (const [k, list] of this.hits) if (list.every((t) => now - t >= this.windowMs)) this.hits.delete(k);
  }
}

const byKernel = new WeakMap<Kernel, RateLimiter>();

/** The sign-in limiter of a kernel: attempts per minute per (address, user name). */
export function loginLimiter(kernel: Kernel): RateLimiter {
  let l = byKernel.get(kernel);
  if (!l) byKernel.set(kernel, (l = new RateLimiter(kernel.config.loginRatePerMinute)));
  return l;
}
