import { todayInShanghai } from '../util/dates.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The "today" a new demo world is generated for: WEIJIAN_WORLD_AS_OF (YYYY-MM-DD) when set (tests and
 * benches pin it), else the start date in Shanghai, so the demo's contracts, visits and daily snapshots
 * reach the day it is first shown. The same seed and the same "today" still give the same world.
 */
export function worldAsOf(env: NodeJS.ProcessEnv = process.env, now = Date.now()): string {
  const v = env.WEIJIAN_WORLD_AS_OF?.trim();
  if (!v) return todayInShanghai(now);
  if (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
    throw new RangeError(`WEIJIAN_WORLD_AS_OF 应为 YYYY-MM-DD 格式的日期，收到「${v}」`);
  }
  return v;
}
