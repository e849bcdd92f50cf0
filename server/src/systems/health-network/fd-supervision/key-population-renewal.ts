import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { and, sql } from '../../../platform/db/sql.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { enumOf } from '../../../platform/http/schema.ts';
import { anyTagFilter, KEY_POPULATIONS } from '../key-populations/service.ts';
import { drillOf, drillQuery, LEVEL_TITLE } from './drill.ts';
import { colourPolicy } from './snapshot.ts';
import { type Column, namedRows, respond, totalOf } from './report.ts';
import { KpRenewalReport } from './responses.ts';

export const KP_RENEWAL_COLUMNS: Column[] = [
  { key: 'total', title: '在约重点人群' },
  { key: 'overdue', title: '逾期未续约' },
  { key: 'due_soon', title: '即将到期' },
  { key: 'normal', title: '正常' },
];

export const KpRenewalQuery = drillQuery({ tag: Type.Optional(enumOf(KEY_POPULATIONS, { description: '某一类重点人群；默认全部十类' })) });

/**
 * 重点人群续约情况: contracts in force of residents carrying a key-population tag, by renewal status —
 * overdue (cycle ended, not renewed), due soon (ends within the yellow window), normal. The page shows
 * the totals as a donut and the rows for the drill-down.
 */
export async function keyPopulationRenewal(ctx: ServiceContext, q: typeof KpRenewalQuery.static) {
  const d = drillOf(q);
  const p = await colourPolicy(ctx.tx);
  const today = sql`${todayInShanghai()}::date`;
  const soon = sql`${todayInShanghai()}::date + ${p.yellowBeforeDays}::int`;
  const rows = await ctx.tx.query<{ key: string; total: number; overdue: number; due_soon: number; normal: number }>(
    sql`select ${d.key()} as key, count(*)::int as total,
            count(*) filter (where cycle_end < ${today})::int as overdue,
            count(*) filter (where cycle_end between ${today} and ${soon})::int as due_soon,
            count(*) filter (where cycle_end > ${soon})::int as normal
       from fd_contract_v where ${and([sql`status = 'active'`, anyTagFilter('person_id', q.tag ? [q.tag] : [...KEY_POPULATIONS]), ...d.filter()])}
      group by 1 order by 1`,
  );
  return respond(ctx, q.format, '重点人群续约情况', {
    title: '重点人群续约情况',
    tag: q.tag ?? null,
    level: d.level,
    levelTitle: LEVEL_TITLE[d.level],
    columns: KP_RENEWAL_COLUMNS,
    rows: await namedRows(ctx, q, d.level, rows),
    total: totalOf(rows, KP_RENEWAL_COLUMNS),
  });
}

export const kpRenewalRoute = defineRoute({
  method: 'GET',
  url: '/fd-supervision/key-population-renewal',
  summary: '重点人群续约情况',
  description: '在约重点人群的续约状态：逾期、即将到期、正常（环形图）；下钻 全市→区→社区→医生；format=xlsx 导出。',
  auth: 'staff',
  permission: 'fd-supervision.read',
  querystring: KpRenewalQuery,
  response: { 200: KpRenewalReport },
  handler: (ctx, { query }) => keyPopulationRenewal(ctx, query),
});
