import type { Recorder } from './stats.ts';

export interface Sample {
  id: number;
  idNumber: string;
  name: string;
  district: string;
}

export interface VirtualUser {
  index: number;
  username: string;
  password: string;
  totpSecret: string;
  district: string;
  samples: Sample[];
  token?: string;
}

/** One system under test: the product or the baseline, same request types. */
export interface Target {
  name: string;
  baseUrl: string;
  start(vu: VirtualUser, rec: Recorder): Promise<void>;
  requests: Record<string, (vu: VirtualUser, s: Sample) => Promise<Response>>;
}

/** Weights of the request mix (per 100 requests). */
export const MIX: [string, number][] = [
  ['sign-in', 4],
  ['resident lookup by ID number', 28],
  ['resident search by name + district', 24],
  ['resident full record (audited)', 14],
  ['resident update phone', 10],
  ['screen: menu', 10],
  ['screen: district stats', 10],
];

function pickType(r: number): string {
  let acc = 0;
  for (const [t, w] of MIX) {
    acc += w;
    if (r * 100 < acc) return t;
  }
  return MIX[0]![0];
}

export async function timed(rec: Recorder, type: string, fn: () => Promise<Response>): Promise<void> {
  const t0 = performance.now();
  try {
    const res = await fn();
    const body = await res.text();
    const ms = performance.now() - t0;
    if (res.status >= 400) rec.fail(type, ms, `${res.status} ${body.slice(0, 160)}`);
    else rec.ok(type, ms);
  } catch (e) {
    rec.fail(type, performance.now() - t0, String(e));
  }
}

/** Drives every virtual user in a closed loop for `seconds`, with think time between requests. */
export async function drive(target: Target, vus: VirtualUser[], rec: Recorder, seconds: number, thinkMs: number): Promise<void> {
  // Sign everyone in first (staggered over ~2 s, as a morning's log-ins would be); not counted in the mix.
  await Promise.all(
    vus.map(async (vu) => {
      await sleep(Math.random() * 2000);
      await target.start(vu, rec);
    }),
  );
  const end = Date.now() + seconds * 1000;
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  await Promise.all(
    vus.map(async (vu) => {
      await sleep(rnd() * thinkMs);
      while (Date.now() < end) {
        const type = pickType(rnd());
        const s = vu.samples[Math.floor(rnd() * vu.samples.length)];
        await timed(rec, type, () => target.requests[type]!(vu, s!));
        if (thinkMs > 0) await sleep(thinkMs * (0.5 + rnd()));
      }
    }),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
