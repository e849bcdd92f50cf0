import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../../platform/http/route.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { CATEGORIES } from './catalog.ts';
import * as repo from './repository.ts';
import { Summary } from './responses.ts';

export const SummaryQuery = Type.Object(
  { month: Type.Optional(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', maxLength: 7 })) },
  { additionalProperties: false },
);

export interface CategoryCard {
  category: string;
  title: string;
  /** Cases in the 12 months ending with the reference month. */
  cases: number;
  /** Cases in the reference month. */
  monthCases: number;
  /** Highest and lowest monthly case count over those 12 months (months without cases count 0). */
  max: { month: string; cases: number };
  min: { month: string; cases: number };
  /**
   * Month-on-month: (this month − previous month) ÷ previous month; null when the previous month had none.
   * While the reference month is still running, both sides count days 1 … today only (see `through`).
   */
  mom: number | null;
  /** Year-on-year: (this month − same month last year) ÷ that month; null when it had none. */
  yoy: number | null;
}

export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const k = y * 12 + (m - 1) + n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
}

const change = (now: number, before: number) => (before === 0 ? null : Math.round(((now - before) / before) * 10_000) / 10_000);

/**
 * The 11 category cards for a reference month (default: the latest month with findings in scope). When that
 * month is the current one, `through` is today: a week into December, December's cases against all of
 * November would read as a fall of three quarters, so 同比 and 环比 compare the same days (1st … today).
 */
export async function categorySummary(
  ctx: ServiceContext,
  q: typeof SummaryQuery.static,
  today = todayInShanghai(),
): Promise<{ month: string; months: string[]; through: string | null; cards: CategoryCard[] }> {
  const month = q.month ?? (await repo.latestFindingMonth(ctx.tx)) ?? today.slice(0, 7);
  const first = shiftMonth(month, -12);
  const rows = await repo.monthlyCounts(ctx.tx, `${first}-01`, `${shiftMonth(month, 1)}-01`);
  const n = new Map(rows.map((r) => [`${r.category}|${r.month}`, r.n]));
  const months = Array.from({ length: 12 }, (_, i) => shiftMonth(month, i - 11));
  const through = month === today.slice(0, 7) ? today : null;
  const compared = [month, shiftMonth(month, -1), shiftMonth(month, -12)];
  const partial = through ? await repo.monthToDateCounts(ctx.tx, compared, Number(through.slice(8, 10))) : [];
  const p = new Map(partial.map((r) => [`${r.category}|${r.month}`, r.n]));
  const cards = CATEGORIES.map(([category, title]) => {
    const at = (m: string) => n.get(`${category}|${m}`) ?? 0;
    const series = months.map((m) => ({ month: m, cases: at(m) }));
    const max = series.reduce((a, b) => (b.cases > a.cases ? b : a));
    const min = series.reduce((a, b) => (b.cases < a.cases ? b : a));
    const now = at(month);
    const base = (m: string) => (through ? (p.get(`${category}|${m}`) ?? 0) : at(m));
    return {
      category,
      title,
      cases: series.reduce((s, x) => s + x.cases, 0),
      monthCases: now,
      max,
      min,
      mom: change(now, base(shiftMonth(month, -1))),
      yoy: change(now, base(shiftMonth(month, -12))),
    };
  });
  return { month, months, through, cards };
}

export const summaryRoute = defineRoute({
  method: 'GET',
  url: '/compliance/summary',
  summary: '监测总览：11 类监测的病例数、最高、最低、同比、环比',
  auth: 'staff',
  permission: 'compliance.read',
  querystring: SummaryQuery,
  response: { 200: Summary },
  handler: (ctx, { query }) => categorySummary(ctx, query),
});
