import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { fieldError } from '../../../platform/http/errors.ts';
import { and, sql } from '../../../platform/db/sql.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { anyTagFilter, KEY_POPULATIONS } from '../key-populations/service.ts';
import { drillOf, drillQuery, LEVEL_TITLE } from './drill.ts';
import { type Column, namedRows, pct, respond, totalOf } from './report.ts';
import { VisitRateReport } from './responses.ts';

const DateStr = Type.String({ format: 'date', maxLength: 10 });
const DAY = 86_400_000;

export const VISIT_COLUMNS: Column[] = [
  { key: 'signed', title: '在约居民' },
  { key: 'visited', title: '社区就诊居民' },
  { key: 'visit_rate', title: '社区就诊率', percent: true },
  { key: 'kp_signed', title: '在约重点人群' },
  { key: 'kp_visited', title: '社区就诊重点人群' },
  { key: 'kp_visit_rate', title: '重点人群社区就诊率', percent: true },
  { key: 'visits', title: '就诊人次' },
  { key: 'in_combination', title: '组合内就诊人次' },
  { key: 'combination_rate', title: '组合内就诊率', percent: true },
];

export const VisitQuery = drillQuery({ from: Type.Optional(DateStr), to: Type.Optional(DateStr) });

/**
 * 就诊率: of the residents in force, the share with at least one visit at their contracted community
 * centre in the period (all, and the ten key populations); and of all their visits (community centres
 * and hospitals), the share inside their 1+1+1 combination (签约组合内就诊率).
 */
export async function visitRates(ctx: ServiceContext, q: typeof VisitQuery.static) {
  const d = drillOf(q);
  const to = q.to ?? todayInShanghai();
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 364 * DAY).toISOString().slice(0, 10);
  if (from > to) throw fieldError('from', '开始日期不能晚于结束日期');
  const contracts = and([sql`c.status = 'active'`, ...d.filter('c')]);
  const people = await ctx.tx.query<{ key: string; signed: number; visited: number; kp_signed: number; kp_visited: number }>(
    sql`with s as (
       select ${d.key('c')} as key, c.person_id, c.institution_id, ${anyTagFilter('c.person_id', [...KEY_POPULATIONS])} as kp
         from fd_contract_v c where ${contracts}),
     v as (
       select s.key, s.kp, exists (select 1 from fd_visit_v v where v.person_id = s.person_id and v.institution_id = s.institution_id and v.visit_date between ${from} and ${to}) as visited
         from s)
     select key, count(*)::int as signed, count(*) filter (where visited)::int as visited,
            count(*) filter (where kp)::int as kp_signed, count(*) filter (where kp and visited)::int as kp_visited
       from v group by 1`,
  );
  const visits = await ctx.tx.query<{ key: string; visits: number; in_combination: number }>(
    sql`with s as (
       select ${d.key('c')} as key, c.person_id, c.institution_id, c.district_hospital_id, c.city_hospital_id
         from fd_contract_v c where ${contracts}),
     v as (
       select person_id, institution_id from fd_visit_v where visit_date between ${from} and ${to}
       union all
       select person_id, institution_id from fs_hospital_visit where visit_date between ${from} and ${to})
     select s.key, count(*)::int as visits,
            count(*) filter (where v.institution_id in (s.institution_id, s.district_hospital_id, s.city_hospital_id))::int as in_combination
       from s join v on v.person_id = s.person_id group by 1`,
  );
  type Counts = { signed: number; visited: number; kp_signed: number; kp_visited: number; visits: number; in_combination: number };
  const byKey = new Map<string, Counts>();
  const row = (key: string) => {
    let r = byKey.get(key);
    if (!r) byKey.set(key, (r = { signed: 0, visited: 0, kp_signed: 0, kp_visited: 0, visits: 0, in_combination: 0 }));
    return r;
  };
  for (const { key, ...r } of people) Object.assign(row(key), r);
  for (const { key, ...r } of visits) Object.assign(row(key), r);
  const rates = (r: Counts) => ({
    visit_rate: pct(r.visited, r.signed),
    kp_visit_rate: pct(r.kp_visited, r.kp_signed),
    combination_rate: pct(r.in_combination, r.visits),
  });
  const rows = [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, r]) => ({ key, ...r, ...rates(r) }));
  // VISIT_COLUMNS's counted (non-percent) columns are exactly the Counts.
  const t = totalOf(rows, VISIT_COLUMNS) as Counts;
  return respond(ctx, q.format, `就诊率-${from}-${to}`, {
    title: '签约居民就诊率',
    from,
    to,
    level: d.level,
    levelTitle: LEVEL_TITLE[d.level],
    columns: VISIT_COLUMNS,
    rows: await namedRows(ctx, q, d.level, rows),
    total: { ...t, ...rates(t) },
  });
}

export const visitRatesRoute = defineRoute({
  method: 'GET',
  url: '/fd-supervision/visit-rates',
  summary: '签约居民社区就诊率与组合内就诊率',
  description: '在约居民及重点人群的社区就诊率，签约组合（社区+区级+市级医院）内就诊率；下钻 全市→区→社区→医生；format=xlsx 导出。',
  auth: 'staff',
  permission: 'fd-supervision.read',
  querystring: VisitQuery,
  response: { 200: VisitRateReport },
  handler: (ctx, { query }) => visitRates(ctx, query),
});
