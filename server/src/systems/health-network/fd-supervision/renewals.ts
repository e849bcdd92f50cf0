import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { fieldError } from '../../../platform/http/errors.ts';
import { and, sql } from '../../../platform/db/sql.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { drillOf, drillQuery, LEVEL_TITLE } from './drill.ts';
import { colourPolicy } from './snapshot.ts';
import { type Column, namedRows, pct, respond, totalOf } from './report.ts';
import { RenewalDynamics, RenewalReport } from './responses.ts';

const DateStr = Type.String({ format: 'date', maxLength: 10 });
const DAY = 86_400_000;
const minus = (d: string, days: number) => new Date(Date.parse(`${d}T00:00:00Z`) - days * DAY).toISOString().slice(0, 10);
const YEARS = `coalesce((detail ->> 'years')::int, 1)`;

export const RENEWAL_COLUMNS: Column[] = [
  { key: 'renewed', title: '续约' },
  { key: 'years1', title: '续约1年' },
  { key: 'years2', title: '续约2年' },
  { key: 'years3', title: '续约3年' },
  { key: 'flexible', title: '弹性续约（2–3年）' },
  { key: 'yellow', title: '当前待续约（黄）' },
  { key: 'red', title: '当前已失效（红）' },
  { key: 'rate', title: '续约率', percent: true },
];

export const PeriodQuery = drillQuery({ from: Type.Optional(DateStr), to: Type.Optional(DateStr) });

function period(q: { from?: string; to?: string }, defaultDays: number): { from: string; to: string } {
  const to = q.to ?? todayInShanghai();
  const from = q.from ?? minus(to, defaultDays - 1);
  if (from > to) throw fieldError('from', '开始日期不能晚于结束日期');
  if (Date.parse(to) - Date.parse(from) > 3 * 366 * DAY) throw fieldError('from', '查询区间不能超过三年');
  return { from, to };
}

/**
 * 续约统计: renewals in the period by length (弹性续约 = 2 or 3 years), the contracts now waiting for
 * renewal (yellow) or lapsed (red), and the renewal rate = renewed ÷ (renewed + yellow + red).
 */
export async function renewalStats(ctx: ServiceContext, q: typeof PeriodQuery.static) {
  const d = drillOf(q);
  const { from, to } = period(q, 365);
  const today = todayInShanghai();
  const p = await colourPolicy(ctx.tx);
  const years = sql.raw(YEARS);
  const ev = await ctx.tx.query<{ key: string; renewed: number; years1: number; years2: number; years3: number }>(
    sql`select ${d.key()} as key, count(*)::int as renewed, count(*) filter (where ${years} = 1)::int as years1,
            count(*) filter (where ${years} = 2)::int as years2, count(*) filter (where ${years} = 3)::int as years3
       from fd_contract_event_v where ${and([sql`kind = 'renew'`, sql`on_date between ${from} and ${to}`, ...d.filter()])} group by 1`,
  );
  const redBefore = sql`${today}::date - ${p.yellowAfterDays}::int`;
  const yellowUntil = sql`${today}::date + ${p.yellowBeforeDays}::int`;
  const due = await ctx.tx.query<{ key: string; yellow: number; red: number }>(
    sql`select ${d.key()} as key, count(*) filter (where cycle_end between ${redBefore} and ${yellowUntil})::int as yellow,
            count(*) filter (where cycle_end < ${redBefore})::int as red
       from fd_contract_v where ${and([sql`status = 'active'`, sql`cycle_end <= ${yellowUntil}`, ...d.filter()])} group by 1`,
  );
  const byKey = new Map<string, Record<'renewed' | 'years1' | 'years2' | 'years3' | 'flexible' | 'yellow' | 'red', number>>();
  const row = (key: string) => {
    let r = byKey.get(key);
    if (!r) byKey.set(key, (r = { renewed: 0, years1: 0, years2: 0, years3: 0, flexible: 0, yellow: 0, red: 0 }));
    return r;
  };
  for (const { key, ...e } of ev) Object.assign(row(key), e, { flexible: e.years2 + e.years3 });
  for (const c of due) Object.assign(row(c.key), { yellow: c.yellow, red: c.red });
  const rows = [...byKey.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, r]) => ({ key, ...r, rate: pct(r.renewed, r.renewed + r.yellow + r.red) }));
  const total: Record<string, unknown> = totalOf(rows, RENEWAL_COLUMNS);
  total.rate = pct(total.renewed as number, (total.renewed as number) + (total.yellow as number) + (total.red as number));
  return respond(ctx, q.format, `续约统计-${from}-${to}`, {
    title: '续约统计',
    from,
    to,
    level: d.level,
    levelTitle: LEVEL_TITLE[d.level],
    columns: RENEWAL_COLUMNS,
    rows: await namedRows(ctx, q, d.level, rows),
    total,
  });
}

export const DynamicsQuery = drillQuery({ months: Type.Optional(Type.Integer({ minimum: 1, maximum: 36, default: 12 })) });

/** 续约动态: month by month, renewals (by length), new signings and terminations under the drill filter. */
export async function renewalDynamics(ctx: ServiceContext, q: typeof DynamicsQuery.static) {
  const d = drillOf(q);
  const months = q.months ?? 12;
  const today = todayInShanghai();
  const first = `${today.slice(0, 7)}-01`;
  const rows = await ctx.tx.query<{ month: string; renewed: number; flexible: number; signed_new: number; terminated: number }>(
    sql`select to_char(on_date, 'YYYY-MM') as month,
            count(*) filter (where kind = 'renew')::int as renewed,
            count(*) filter (where kind = 'renew' and ${sql.raw(YEARS)} > 1)::int as flexible,
            count(*) filter (where kind in ('sign', 'change_doctor'))::int as signed_new,
            count(*) filter (where kind = 'terminate')::int as terminated
       from fd_contract_event_v
      where ${and([sql`on_date >= (${first}::date - make_interval(months => ${months}::int - 1))::date`, sql`on_date <= ${first}::date + 31`, ...d.filter()])}
      group by 1 order by 1`,
  );
  const columns: Column[] = [
    { key: 'month', title: '月份' },
    { key: 'renewed', title: '续约' },
    { key: 'flexible', title: '弹性续约' },
    { key: 'signed_new', title: '新签' },
    { key: 'terminated', title: '解约' },
  ];
  return respond(ctx, q.format, '续约动态', {
    title: '续约动态',
    level: d.level,
    levelTitle: '月份',
    columns: columns.slice(1),
    rows: rows.map((r) => ({ ...r, key: r.month, name: r.month, next: null })),
    total: totalOf(rows, columns.slice(1)),
  });
}

export const renewalStatsRoute = defineRoute({
  method: 'GET',
  url: '/fd-supervision/renewals',
  summary: '续约统计',
  description: '期间内续约人数（按续约年限，弹性续约）、当前待续约与已失效人数、续约率；下钻 全市→区→社区→医生；format=xlsx 导出。',
  auth: 'staff',
  permission: 'fd-supervision.read',
  querystring: PeriodQuery,
  response: { 200: RenewalReport },
  handler: (ctx, { query }) => renewalStats(ctx, query),
});

export const renewalDynamicsRoute = defineRoute({
  method: 'GET',
  url: '/fd-supervision/renewals/dynamics',
  summary: '续约动态报表',
  description: '按月的续约、弹性续约、新签、解约人数；format=xlsx 导出。',
  auth: 'staff',
  permission: 'fd-supervision.read',
  querystring: DynamicsQuery,
  response: { 200: RenewalDynamics },
  handler: (ctx, { query }) => renewalDynamics(ctx, query),
});
