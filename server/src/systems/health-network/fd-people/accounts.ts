import { Type } from '@sinclair/typebox';
import { generatePassword } from '../../../platform/auth/password.ts';
import { createUser } from '../../../platform/auth/users/service.ts';
import { fieldError, forbidden } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { Id, IdParams } from '../../../platform/http/schema.ts';
import { getTeam, type TeamPatch, updateTeam } from '../../common/master-data/service.ts';
import { scopeCovers } from '../../../platform/scope/scope.ts';
import { AssistantCreated, Team } from './responses.ts';

/**
 * 家医助理 (doctor_assistant): an account bound to one family-doctor team. Its data range is the team:
 * row-level security at scope level 'team' shows the contracts, residents, reminders, bookings and home
 * visits whose team is that team — no other team's, and nothing outside the centre. It may sign, renew
 * and transfer (family-doctor.sign), upload reports and record visits, but not terminate contracts.
 */
export const ASSISTANT_RANGE =
  '家医助理账号绑定一个家庭医生团队，数据范围为该团队签约的居民（签约、续约、报告上传、体检预约、上门访视、住院提醒），不能办理解约，不能查看其他团队的数据。';

export const createAssistantRoute = defineRoute({
  method: 'POST',
  url: '/fd-people/assistants',
  summary: '开设家医助理账号（绑定团队，数据范围为本团队）',
  auth: 'staff',
  permission: 'fd-people.manage',
  body: Type.Object(
    { teamId: Id, username: Type.String({ minLength: 3, maxLength: 32 }), displayName: Type.String({ minLength: 1, maxLength: 64 }) },
    { additionalProperties: false },
  ),
  successStatus: 201,
  response: { 201: AssistantCreated },
  handler: async (ctx, { body }) => {
    const team = await getTeam(ctx, body.teamId);
    if (!team) throw fieldError('teamId', '团队不存在');
    if (
      !scopeCovers(ctx.principal.scope, { district: team.districtCode, street: team.streetCode, institution: team.institutionId, team: team.id, doctor: null })
    ) {
      throw forbidden('只能为本机构（或辖区内）的团队开设助理账号');
    }
    const password = generatePassword(16);
    const u = await createUser(ctx.tx, ctx.kernel.keys, {
      username: body.username,
      displayName: body.displayName,
      role: 'doctor_assistant',
      scope: { level: 'team', districtCode: team.districtCode, institutionId: team.institutionId, teamId: team.id },
      password,
      mustChangePassword: true,
    });
    ctx.audit.add({
      kind: 'admin',
      action: 'fd-people.assistant.create',
      objectType: 'app_user',
      objectId: u.id,
      after: { username: u.username, role: 'doctor_assistant', teamId: team.id },
    });
    return { userId: u.id, username: u.username, password, teamId: team.id, teamName: team.name, dataRange: ASSISTANT_RANGE };
  },
});

export const TeamBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    leaderId: Type.Optional(Id),
    memberIds: Type.Optional(Type.Array(Id, { maxItems: 50, uniqueItems: true })),
    communityCodes: Type.Optional(Type.Array(Type.String({ pattern: '^3101\\d{8}$', maxLength: 12 }), { maxItems: 100, uniqueItems: true })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const updateTeamRoute = defineRoute({
  method: 'PATCH',
  url: '/fd-people/teams/:id',
  summary: '团队维护：团队长、成员、管辖居委',
  auth: 'staff',
  permission: 'fd-people.manage',
  params: IdParams,
  body: TeamBody,
  response: { 200: Team },
  handler: async (ctx, { params, body }) => {
    const team = await getTeam(ctx, params.id);
    if (
      team &&
      !scopeCovers(ctx.principal.scope, { district: team.districtCode, street: team.streetCode, institution: team.institutionId, team: team.id, doctor: null })
    ) {
      throw forbidden('该团队不在您的数据权限范围内');
    }
    return updateTeam(ctx, params.id, body as TeamPatch);
  },
});
