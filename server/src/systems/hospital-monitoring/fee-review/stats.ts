import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { and, one, sql, where } from '../../../platform/db/index.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { Id } from '../../../platform/http/schema.ts';
import { type Counts, FeeReviewStats } from './responses.ts';

const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', maxLength: 7 });
export const StatsQuery = Type.Object(
  { from: Type.Optional(Month), to: Type.Optional(Month), institutionId: Type.Optional(Id) },
  { additionalProperties: false },
);

const MONTH = sql`to_char(c.uploaded_at at time zone 'Asia/Shanghai', 'YYYY-MM')`;

/**
 * Statistics of the caller's scope (RLS): per institution (cases by state and conclusion), per check
 * dimension (reviewed cases and cases with a problem found) and per month of upload.
 */
export async function stats(ctx: ServiceContext, q: typeof StatsQuery.static): Promise<FeeReviewStats> {
  const conds = [q.from && sql`${MONTH} >= ${q.from}`, q.to && sql`${MONTH} <= ${q.to}`, q.institutionId && sql`c.institution_id = ${q.institutionId}`];
  const w = where(conds);
  const counts = sql`count(*)::int as total,
    count(*) filter (where c.status = 'uploaded')::int as uploaded,
    count(*) filter (where c.status = 'under_review')::int as "underReview",
    count(*) filter (where c.status = 'concluded')::int as concluded,
    count(*) filter (where c.conclusion = 'reasonable')::int as reasonable,
    count(*) filter (where c.conclusion = 'partly_reasonable')::int as "partlyReasonable",
    count(*) filter (where c.conclusion = 'unreasonable')::int as unreasonable`;
  const byInstitution = await ctx.tx.query<Counts & { institutionId: number; institutionName: string }>(
    sql`select c.institution_id::int as "institutionId", i.name as "institutionName", ${counts}
     from fr_case c join institution i on i.id = c.institution_id ${w} group by c.institution_id, i.name order by total desc, i.name`,
  );
  const byMonth = await ctx.tx.query<Counts & { month: string }>(sql`select ${MONTH} as month, ${counts} from fr_case c ${w} group by 1 order by 1`);
  const byDimension = await ctx.tx.query<{ code: string; title: string; reviewed: number; issues: number }>(
    sql`select d.code, d.title, count(f.case_id)::int as reviewed, count(f.case_id) filter (where f.result = 'issue')::int as issues
     from fr_dimension d
     left join (fr_case_finding f join fr_case c on c.id = f.case_id and ${and(conds)}) on f.dimension_code = d.code
     where d.active or f.case_id is not null
     group by d.code, d.title, d.sort_order, d.active order by d.active desc, d.sort_order`,
  );
  const totals = await one<Counts>(ctx.tx, sql`select ${counts} from fr_case c ${w}`);
  return {
    totals,
    byInstitution,
    byDimension: byDimension.map((d) => ({ ...d, issueRate: d.reviewed ? Math.round((d.issues / d.reviewed) * 1000) / 10 : null })),
    byMonth,
  };
}

export const statsRoute = defineRoute({
  method: 'GET',
  url: '/fee-review/stats',
  summary: '费用偏离病例核查统计：按机构、核查维度、月份',
  auth: 'staff',
  permission: 'fee-review.read',
  querystring: StatsQuery,
  response: { 200: FeeReviewStats },
  handler: (ctx, { query }) => stats(ctx, query),
});
