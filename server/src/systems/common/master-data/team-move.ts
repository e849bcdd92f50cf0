import type { ServiceContext } from '../../../platform/service-context.ts';
import { notFound } from '../../../platform/http/errors.ts';
import * as repo from './repository.ts';

type Ctx = ServiceContext;

/**
 * 总分院合并: every team of a branch becomes a team of its main institution (its district and street
 * keys follow, so row-level security sees it where the main institution is). Runs in the caller's
 * transaction and row-level security; audited per team. Returns the moved team ids.
 */
export async function moveTeams(ctx: Ctx, fromInstitutionId: number, toInstitutionId: number): Promise<number[]> {
  const to = await repo.getInstitution(ctx.tx, toInstitutionId);
  if (!to) throw notFound('目标机构不存在');
  const rows = await ctx.tx.query<{ id: number }>(
    'update team set institution_id = $2, district_code = $3, street_code = $4 where institution_id = $1 returning id',
    [fromInstitutionId, to.id, to.districtCode, to.streetCode],
  );
  const ids = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  for (const id of ids) {
    ctx.audit.write({
      action: 'team.move',
      objectType: 'team',
      objectId: id,
      districtCode: to.districtCode,
      before: { institutionId: fromInstitutionId },
      after: { institutionId: to.id },
    });
  }
  return ids;
}

/** How many teams an institution has (the merge preview shows them). */
export async function countTeams(ctx: Pick<Ctx, 'tx'>, institutionId: number): Promise<number> {
  const [r] = await ctx.tx.query<{ n: number }>('select count(*)::int as n from team where institution_id = $1', [institutionId]);
  return r!.n;
}
