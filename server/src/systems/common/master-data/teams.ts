import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import * as repo from './repository.ts';
import { Id, Name, pageOf, Paging } from '../../../platform/http/schema.ts';
import { CommunityCode } from './schema.ts';
import { Team, TeamPage } from './responses.ts';

type Ctx = ServiceContext;

const CreateBody = Type.Object(
  {
    institutionId: Id,
    name: Name(50),
    leaderId: Id,
    memberIds: Type.Optional(Type.Array(Id, { maxItems: 50, uniqueItems: true })),
    communityCodes: Type.Optional(Type.Array(CommunityCode, { maxItems: 100, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type TeamInput = typeof CreateBody.static;

/** A member's role in the team, from the title: nurses by 护, doctors by 医 or the family-doctor flag. */
export function memberRole(p: { title: string | null; isFamilyDoctor: boolean }): string {
  if (p.title?.includes('护')) return 'nurse';
  if (p.isFamilyDoctor || p.title?.includes('医')) return 'doctor';
  return 'other';
}

export async function createTeam(ctx: Ctx, b: TeamInput): Promise<repo.TeamDto> {
  const errors: FieldError[] = [];
  const inst = await repo.getInstitution(ctx.tx, b.institutionId);
  if (!inst) errors.push({ field: 'institutionId', message: '机构不存在' });
  const memberIds = [...new Set([b.leaderId, ...(b.memberIds ?? [])])];
  const people = await repo.practitionersByIds(ctx.tx, memberIds);
  memberIds.forEach((id, i) => {
    const p = people.get(id);
    const field = i === 0 ? 'leaderId' : `memberIds.${(b.memberIds ?? []).indexOf(id)}`;
    if (!p) errors.push({ field, message: `医务人员 ${id} 不存在` });
    else if (p.institutionId !== b.institutionId) errors.push({ field, message: `${p.name} 不属于该机构` });
    else if (!p.active) errors.push({ field, message: `${p.name} 已停用` });
  });
  const codes = b.communityCodes ?? [];
  const regions = await repo.getRegions(ctx.tx, codes);
  codes.forEach((c, i) => {
    const r = regions.get(c);
    if (r?.level !== 'community') errors.push({ field: `communityCodes.${i}`, message: `居委 ${c} 不存在` });
    else if (inst && r.districtCode !== inst.districtCode) errors.push({ field: `communityCodes.${i}`, message: `居委 ${c} 不在该机构所在区` });
  });
  if (errors.length || !inst) throw new AppError(400, 'VALIDATION_FAILED', errors[0]?.message ?? '输入有误', errors);

  const id = await repo.insertTeam(ctx.tx, {
    institutionId: inst.id,
    name: b.name,
    leaderId: b.leaderId,
    districtCode: inst.districtCode,
    streetCode: inst.streetCode,
  });
  await repo.insertTeamMembers(
    ctx.tx,
    id,
    memberIds.map((m) => ({ practitionerId: m, role: m === b.leaderId ? 'leader' : memberRole(people.get(m)!) })),
  );
  await repo.insertTeamCommunities(ctx.tx, id, codes);
  const { items } = await repo.listTeams(ctx.tx, { id, limit: 1, offset: 0 });
  ctx.audit.write({ action: 'team.create', objectType: 'team', objectId: id, after: items[0] });
  return items[0]!; // just inserted in this transaction
}

export const teamRoutes = [
  defineRoute({
    method: 'GET',
    url: '/teams',
    summary: '家庭医生团队列表',
    auth: 'staff',
    permission: 'master-data.read',
    querystring: Type.Object({ institutionId: Type.Optional(Id), ...Paging }),
    response: { 200: TeamPage },
    handler: (ctx, { query }) => repo.listTeams(ctx.tx, { institutionId: query.institutionId, ...pageOf(query) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/teams',
    summary: '新建家庭医生团队',
    auth: 'staff',
    permission: 'master-data.manage',
    body: CreateBody,
    successStatus: 201,
    response: { 201: Team },
    handler: (ctx, { body }) => createTeam(ctx, body),
  }),
];
