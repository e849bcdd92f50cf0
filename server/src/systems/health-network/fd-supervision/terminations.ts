import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { fieldError } from '../../../platform/http/errors.ts';
import { and, sql } from '../../../platform/db/sql.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { latestSnapshotDate } from './daily.ts';
import { drillOf, drillQuery, LEVEL_TITLE } from './drill.ts';
import { type Column, namedRows, respond, totalOf } from './report.ts';
import { TerminationReport } from './responses.ts';

const DateStr = Type.String({ format: 'date', maxLength: 10 });
const DAY = 86_400_000;

export const TERMINATION_COLUMNS: Column[] = [
  { key: 'date', title: '日期' },
  { key: 'terminated', title: '解约' },
  { key: 'terminated_resident', title: '居民发起' },
  { key: 'terminated_doctor', title: '医生发起' },
  { key: 'terminated_system', title: '系统发起' },
];

export const TerminationQuery = drillQuery({ from: Type.Optional(DateStr), to: Type.Optional(DateStr) });

/** 每日解约记录: per day and per drill group (city → district → community → doctor), by initiator, from the daily snapshot. */
export async function terminationHistory(ctx: ServiceContext, q: typeof TerminationQuery.static) {
  const d = drillOf(q);
  const to = q.to ?? (await latestSnapshotDate(ctx));
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY).toISOString().slice(0, 10);
  if (from > to) throw fieldError('from', '开始日期不能晚于结束日期');
  if (Date.parse(to) - Date.parse(from) > 366 * DAY) throw fieldError('from', '查询区间不能超过一年');
  const rows = await ctx.tx.query<{ key: string; date: string } & Record<string, number>>(
    sql`select snap_date::text as date, ${d.key()} as key, sum(terminated)::int as terminated, sum(terminated_resident)::int as terminated_resident,
            sum(terminated_doctor)::int as terminated_doctor, sum(terminated_system)::int as terminated_system
       from fs_daily_snapshot where ${and([sql`snap_date between ${from} and ${to}`, ...d.filter()])}
      group by 1, 2 having sum(terminated) > 0 order by 1 desc, 2`,
  );
  return respond(ctx, q.format, `解约记录-${from}-${to}`, {
    title: '每日解约记录',
    from,
    to,
    level: d.level,
    levelTitle: LEVEL_TITLE[d.level],
    columns: TERMINATION_COLUMNS,
    rows: await namedRows(ctx, q, d.level, rows),
    total: totalOf(rows, TERMINATION_COLUMNS.slice(1)),
  });
}

export const terminationsRoute = defineRoute({
  method: 'GET',
  url: '/fd-supervision/terminations',
  summary: '每日解约记录',
  description: '每日生成的解约记录（市/区/社区/医生各级，按发起方）；format=xlsx 导出。',
  auth: 'staff',
  permission: 'fd-supervision.read',
  querystring: TerminationQuery,
  response: { 200: TerminationReport },
  handler: (ctx, { query }) => terminationHistory(ctx, query),
});
