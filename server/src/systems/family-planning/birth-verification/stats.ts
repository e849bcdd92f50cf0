import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf } from '../../../platform/http/schema.ts';
import { streetNames } from './tasks.ts';
import { Stats } from './responses.ts';

const KEY = { street: 'street_code', district: 'district_code', day: 'source_date::text' } as const;

export const StatsQuery = Type.Object(
  {
    groupBy: Type.Optional(enumOf(['street', 'district', 'day'] as const)),
    from: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '推送日期起' })),
    to: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '推送日期止' })),
  },
  { additionalProperties: false },
);

/** 统计: tasks by street, district or day of the 市妇幼 push, within the caller's scope (row-level security). */
export const statsRoute = defineRoute({
  method: 'GET',
  url: '/birth-verification/stats',
  summary: '出生监测核实统计（按街道、区或日期）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.read',
  querystring: StatsQuery,
  response: { 200: Stats },
  handler: async (ctx, { query }) => {
    const groupBy = query.groupBy ?? 'street';
    const rows = await ctx.tx.query<Record<string, number | string>>(
      `select ${KEY[groupBy]} as key,
              count(*)::int as total,
              count(*) filter (where status = 'pending')::int as pending,
              count(*) filter (where status = 'assisting')::int as assisting,
              count(*) filter (where status = 'approved')::int as approved,
              count(*) filter (where status = 'rejected')::int as rejected,
              count(*) filter (where precheck @> '[{"severity":"block"}]'::jsonb)::int as with_problems,
              count(*) filter (where verify_round > 1)::int as reverified,
              count(*) filter (where exists (select 1 from fp_assist_request a where a.task_id = fp_verify_task.id))::int as assisted
         from fp_verify_task
        where ($1::date is null or source_date >= $1) and ($2::date is null or source_date <= $2)
        group by 1 order by 1`,
      [query.from ?? null, query.to ?? null],
    );
    const names =
      groupBy === 'day'
        ? new Map<string, string>()
        : await streetNames(
            ctx,
            rows.map((r) => String(r.key)),
          );
    const items = rows.map((r) => {
      const done = Number(r.approved) + Number(r.rejected);
      return {
        key: String(r.key),
        name: names.get(String(r.key)) ?? String(r.key),
        total: Number(r.total),
        pending: Number(r.pending),
        assisting: Number(r.assisting),
        approved: Number(r.approved),
        rejected: Number(r.rejected),
        withProblems: Number(r.with_problems),
        reverified: Number(r.reverified),
        assisted: Number(r.assisted),
        completionRate: Number(r.total) ? done / Number(r.total) : 0,
      };
    });
    const sum = (k: 'total' | 'pending' | 'assisting' | 'approved' | 'rejected' | 'withProblems' | 'reverified' | 'assisted') =>
      items.reduce((s, i) => s + i[k], 0);
    const total = sum('total');
    return {
      groupBy,
      items,
      totals: {
        total,
        pending: sum('pending'),
        assisting: sum('assisting'),
        approved: sum('approved'),
        rejected: sum('rejected'),
        withProblems: sum('withProblems'),
        reverified: sum('reverified'),
        assisted: sum('assisted'),
        completionRate: total ? (sum('approved') + sum('rejected')) / total : 0,
      },
    };
  },
});
