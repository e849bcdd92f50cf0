import type { ServiceContext } from '../../../platform/service-context.ts';
import { AppError, type FieldError, forbidden, notFound } from '../../../platform/http/errors.ts';
import * as repo from './repository.ts';
import { memberRole } from './teams.ts';

type Ctx = ServiceContext;

export interface TeamPatch {
  name?: string;
  leaderId?: number;
  /** The full member list (the leader is always a member). */
  memberIds?: number[];
  /** The full list of 居委 the team manages. */
  communityCodes?: string[];
  active?: boolean;
}

/**
 * 团队维护: name, leader, members and managed 居委 of a family-doctor team, each list replaced as a whole.
 * Members must be active practitioners of the team's institution; 居委 must lie in its district. The
 * write passes the team's row-level security (the caller's scope must cover the team).
 */
export async function updateTeam(ctx: Ctx, id: number, p: TeamPatch): Promise<repo.TeamDto> {
  const { items } = await repo.listTeams(ctx.tx, { id, limit: 1, offset: 0 });
  const before = items[0];
  if (!before) throw notFound('团队不存在');
  const errors: FieldError[] = [];
  const leaderId = p.leaderId ?? before.leaderId;
  const memberIds =
    p.memberIds || p.leaderId ? [...new Set([...(leaderId ? [leaderId] : []), ...(p.memberIds ?? before.members.map((m) => m.practitionerId))])] : null;
  const people = memberIds ? await repo.practitionersByIds(ctx.tx, memberIds) : new Map();
  for (const [i, mid] of (memberIds ?? []).entries()) {
    const x = people.get(mid);
    const field = mid === leaderId && p.leaderId ? 'leaderId' : `memberIds.${Math.max(0, (p.memberIds ?? []).indexOf(mid))}`;
    if (!x) errors.push({ field, message: `医务人员 ${mid} 不存在` });
    else if (x.institutionId !== before.institutionId) errors.push({ field, message: `${x.name} 不属于该机构` });
    else if (!x.active) errors.push({ field, message: `${x.name} 已停用` });
    void i;
  }
  if (p.communityCodes) {
    const regions = await repo.getRegions(ctx.tx, p.communityCodes);
    p.communityCodes.forEach((c, i) => {
      const r = regions.get(c);
      if (r?.level !== 'community') errors.push({ field: `communityCodes.${i}`, message: `居委 ${c} 不存在` });
      else if (r.districtCode !== before.districtCode) errors.push({ field: `communityCodes.${i}`, message: `居委 ${c} 不在该团队所在区` });
    });
  }
  if (errors.length) throw new AppError(400, 'VALIDATION_FAILED', errors[0]!.message, errors);
  const updated = await ctx.tx.query<{ id: number }>(
    `update team set name = coalesce($2, name), leader_id = coalesce($3, leader_id), active = coalesce($4, active) where id = $1 returning id`,
    [id, p.name ?? null, p.leaderId ?? null, p.active ?? null],
  );
  if (updated.length === 0) throw forbidden('该团队不在您的数据权限范围内，不能修改');
  if (memberIds) {
    await ctx.tx.query('delete from team_member where team_id = $1', [id]);
    await repo.insertTeamMembers(
      ctx.tx,
      id,
      memberIds.map((m) => ({ practitionerId: m, role: m === leaderId ? 'leader' : memberRole(people.get(m)!) })),
    );
  }
  if (p.communityCodes) {
    await ctx.tx.query('delete from team_community where team_id = $1', [id]);
    await repo.insertTeamCommunities(ctx.tx, id, p.communityCodes);
  }
  const after = (await repo.listTeams(ctx.tx, { id, limit: 1, offset: 0 })).items[0]!; // just updated in this transaction
  ctx.audit.write({ action: 'team.update', objectType: 'team', objectId: id, before, after });
  return after;
}
