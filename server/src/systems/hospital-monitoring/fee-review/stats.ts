import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../../platform/http/route.ts';
import { Id } from '../../../platform/http/schema.ts';
import type { FeeReviewCtx } from './config.ts';
import { type Counts, FeeReviewStats } from './responses.ts';

const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', maxLength: 7 });
export const StatsQuery = Type.Object({ from: Type.Optional(Month), to: Type.Optional(Month), institutionId: Type.Optional(Id) }, { additionalProperties: false });

const MONTH = `to_char(c.uploaded_at at time zone 'Asia/Shanghai', 'YYYY-MM')`;

/**
 * Statistics of the caller's scope (RLS): per institution (cases by state and conclusion), per check
 * dimension (reviewed cases and cases with a problem found) and per month of upload.
 */
export async function stats(ctx: FeeReviewCtx, q: typeof StatsQuery.static): Promise<FeeReviewStats> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.from) where.push(`${MONTH} >= $${args.push(q.from)}`);
  if (q.to) where.push(`${MONTH} <= $${args.push(q.to)}`);
  if (q.institutionId) where.push(`c.institution_id = $${args.push(q.institutionId)}`);
  const w = where.length ? `where ${where.join(' and ')}` : '';
  const counts = `count(*)::int as total,
    count(*) filter (where c.status = 'uploaded')::int as uploaded,
    count(*) filter (where c.status = 'under_review')::int as "underReview",
    count(*) filter (where c.status = 'concluded')::int as concluded,
    count(*) filter (where c.conclusion = 'reasonable')::int as reasonable,
    count(*) filter (where c.conclusion = 'partly_reasonable')::int as "partlyReasonable",
    count(*) filter (where c.conclusion = 'unreasonable')::int as unreasonable`;
  const byInstitution = await ctx.tx.query<Counts & { institutionId: number; institutionName: string }>(
    `select c.institution_id::int as "institutionId", i.name as "institutionName", ${counts}
     from fr_case c join institution i on i.id = c.institution_id ${w} group by c.institution_id, i.name order by total desc, i.name`,
    args,
  );
  const byMonth = await ctx.tx.query<Counts & { month: string }>(`select ${MONTH} as month, ${counts} from fr_case c ${w} group by 1 order by 1`, args);
  const byDimension = await ctx.tx.query<{ code: string; title: string; reviewed: number; issues: number }>(
    `select d.code, d.title, count(f.case_id)::int as reviewed, count(f.case_id) filter (where f.result = 'issue')::int as issues
     from fr_dimension d
     left join (fr_case_finding f join fr_case c on c.id = f.case_id ${w.replace('where', 'and')}) on f.dimension_code = d.code
     where d.active or f.case_id is not null
     group by d.code, d.title, d.sort_order, d.active order by d.active desc, d.sort_order`,
    args,
  );
  const [totals] = await ctx.tx.query<Counts>(`select ${counts} from fr_case c ${w}`, args);
  return { totals: totals as Counts, byInstitution, byDimension: byDimension.map((d) => ({ ...d, issueRate: d.reviewed ? Math.round((d.issues / d.reviewed) * 1000) / 10 : null })), byMonth };
}

export const statsRoute = defineRoute({
  method: 'GET',
  url: '/fee-review/stats',
  summary: '费用偏离病例核查统计：按机构、核查维度、月份',
  auth: 'staff',
  permission: 'fee_review.read',
  querystring: StatsQuery,
  response: { 200: FeeReviewStats },
  handler: (ctx, { query }) => stats(ctx, query),
});
