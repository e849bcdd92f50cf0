import { Type } from '@sinclair/typebox';
import { generatePassword } from '../../../platform/auth/password.ts';
import { createUser } from '../../../platform/auth/users/service.ts';
import { fieldError, forbidden } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, Id } from '../../../platform/http/schema.ts';
import { DistrictCode } from '../../common/master-data/schema.ts';
import { getInstitution } from '../../common/master-data/service.ts';
import { scopeCovers } from '../../../platform/scope/scope.ts';
import { ViewAccountCreated } from './responses.ts';

/**
 * 区级、医院查看账号 (view-only): a district account is an 'auditor' bound to one district (every module
 * grants that role reads only: reports, records, audit); a hospital account is a 'hospital_user' bound to
 * one district or city hospital. Neither role holds any family-doctor write permission, so both can look
 * and never act. Created by a city administrator, or a district administrator for their own district.
 */
export const VIEW_KINDS = ['district', 'hospital'] as const;

export const ViewAccountBody = Type.Object(
  {
    kind: enumOf(VIEW_KINDS),
    districtCode: Type.Optional(DistrictCode),
    institutionId: Type.Optional(Id),
    username: Type.String({ minLength: 3, maxLength: 32 }),
    displayName: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);

export const createViewAccountRoute = defineRoute({
  method: 'POST',
  url: '/fd-people/view-accounts',
  summary: '开设区级或医院查看账号（只读）',
  auth: 'staff',
  permission: 'fd-people.accounts',
  body: ViewAccountBody,
  successStatus: 201,
  response: { 201: ViewAccountCreated },
  handler: async (ctx, { body }) => {
    let scope: { level: 'district' | 'institution'; districtCode: string; institutionId?: number };
    if (body.kind === 'district') {
      if (!body.districtCode) throw fieldError('districtCode', '请选择区');
      scope = { level: 'district', districtCode: body.districtCode };
    } else {
      const h = body.institutionId ? await getInstitution(ctx, body.institutionId) : null;
      if (!(h && (h.kind === 'district_hospital' || h.kind === 'city_hospital'))) throw fieldError('institutionId', '请选择区级医院或市级医院');
      scope = { level: 'institution', districtCode: h.districtCode, institutionId: h.id };
    }
    if (!scopeCovers(ctx.principal.scope, { district: scope.districtCode, street: null, institution: scope.institutionId ?? null, team: null, doctor: null })) {
      throw forbidden('只能为本辖区开设查看账号');
    }
    const password = generatePassword(16);
    const role = body.kind === 'district' ? 'auditor' : 'hospital_user';
    const u = await createUser(ctx.tx, ctx.kernel.keys, {
      username: body.username,
      displayName: body.displayName,
      role,
      scope,
      password,
      mustChangePassword: true,
    });
    ctx.audit.add({
      kind: 'admin',
      action: 'fd-people.view-account.create',
      objectType: 'app_user',
      objectId: u.id,
      after: { username: u.username, role, scope },
    });
    return { userId: u.id, username: u.username, role, password, scope };
  },
});
