import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { and, sql } from '../../../platform/db/sql.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { drillOf, drillQuery, LEVEL_TITLE } from './drill.ts';
import { type Column, namedRows, respond, totalOf } from './report.ts';
import { DailyHistory, DailyReport } from './responses.ts';

const DateStr = Type.String({ format: 'date', maxLength: 10 });

export const DAILY_COLUMNS: Column[] = [
  { key: 'signed', title: '在约合计' },
  { key: 'green', title: '绿（有效）' },
  { key: 'yellow', title: '黄（待续约）' },
  { key: 'red', title: '红（已失效）' },
  { key: 'signed_new', title: '新签' },
  { key: 'terminated', title: '解约' },
  { key: 'transferred', title: '转签' },
  { key: 'renewed', title: '续约' },
  { key: 'renewed_yellow', title: '到期续约（黄）' },
  { key: 'renewed_green', title: '提前续约（绿）' },
  { key: 'not_renewed', title: '未续约（黄+红）' },
];

const SUMS = `sum(green + yellow + red)::int as signed, sum(green)::int as green, sum(yellow)::int as yellow, sum(red)::int as red,
  sum(signed_new)::int as signed_new, sum(terminated)::int as terminated, sum(transferred)::int as transferred,
  sum(renewed_green + renewed_yellow)::int as renewed, sum(renewed_yellow)::int as renewed_yellow, sum(renewed_green)::int as renewed_green,
  sum(yellow + red)::int as not_renewed`;

/** The latest generated day (visible to the caller) up to today; today when there is none. */
export async function latestSnapshotDate(ctx: ServiceContext): Promise<string> {
  const r = (
    await ctx.tx.query<{ d: string | null }>('select max(snap_date)::text as d from fs_daily_snapshot where snap_date <= $1', [todayInShanghai()])
  )[0]!;
  return r.d ?? todayInShanghai();
}

export const DailyQuery = drillQuery({ date: Type.Optional(DateStr) });

/** 每日红黄绿监测 for one day (default: the latest generated day), grouped by the drill level. */
export async function dailyReport(ctx: ServiceContext, q: typeof DailyQuery.static) {
  const d = drillOf(q);
  const date = q.date ?? (await latestSnapshotDate(ctx));
  const rows = await ctx.tx.query<{ key: string } & Record<string, number>>(
    sql`select ${d.key()} as key, ${sql.raw(SUMS)} from fs_daily_snapshot where ${and([sql`snap_date = ${date}`, ...d.filter()])} group by 1 order by 1`,
  );
  return respond(ctx, q.format, `每日监测-${date}`, {
    title: '每日红黄绿监测',
    date,
    level: d.level,
    levelTitle: LEVEL_TITLE[d.level],
    columns: DAILY_COLUMNS,
    rows: await namedRows(ctx, q, d.level, rows),
    total: totalOf(rows, DAILY_COLUMNS),
  });
}

export const HistoryQuery = drillQuery({ from: Type.Optional(DateStr), to: Type.Optional(DateStr) });

/** The kept history: one line per generated day (totals under the drill filter), for the trend chart. */
export async function dailyHistory(ctx: ServiceContext, q: typeof HistoryQuery.static) {
  const d = drillOf(q);
  const to = q.to ?? (await latestSnapshotDate(ctx));
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  const days = await ctx.tx.query<{ date: string } & Record<string, number>>(
    sql`select snap_date::text as date, ${sql.raw(SUMS)} from fs_daily_snapshot where ${and([sql`snap_date between ${from} and ${to}`, ...d.filter()])} group by 1 order by 1`,
  );
  ctx.audit.read({ action: 'fd-supervision.report', objectType: 'report', objectId: null, note: `每日监测历史 ${from}～${to}` });
  return { from, to, columns: DAILY_COLUMNS, days };
}

export const dailyRoute = defineRoute({
  method: 'GET',
  url: '/fd-supervision/daily',
  summary: '每日红黄绿监测',
  description: '某日（默认最近一次生成）各级在约人数（绿/黄/红）、新签、解约、转签、续约（按续约时颜色）与未续约；下钻 全市→区→社区→医生；format=xlsx 导出。',
  auth: 'staff',
  permission: 'fd-supervision.read',
  querystring: DailyQuery,
  response: { 200: DailyReport },
  handler: (ctx, { query }) => dailyReport(ctx, query),
});

export const dailyHistoryRoute = defineRoute({
  method: 'GET',
  url: '/fd-supervision/daily/history',
  summary: '每日监测历史趋势',
  auth: 'staff',
  permission: 'fd-supervision.read',
  querystring: HistoryQuery,
  response: { 200: DailyHistory },
  handler: (ctx, { query }) => dailyHistory(ctx, query),
});
