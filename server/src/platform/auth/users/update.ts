import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.ts';
import { adminViews } from '../user-load.ts';
import { auditUser, scopeOfRow } from '../user-view.ts';
import { assertMayAssign, loadManageable } from './guard.ts';
import { IdParams, RoleInput } from './schemas.ts';
import { resolveScope, ScopeInput } from './scope-input.ts';
import { updateUser } from './service.ts';
import { ManagedUser } from '../responses.ts';

const Body = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '姓名' })),
    role: Type.Optional(RoleInput),
    scope: Type.Optional(ScopeInput),
  },
  { additionalProperties: false },
);

export const updateUserRoute = defineRoute({
  method: 'PATCH',
  url: '/users/:id',
  summary: '修改用户（姓名、角色、数据权限）',
  tags: ['用户与角色'],
  auth: 'staff',
  permission: 'auth.users.manage',
  params: IdParams,
  body: Body,
  response: { 200: ManagedUser },
  handler: async (ctx, { params, body }) => {
    const before = await loadManageable(ctx, params.id);
    const scope = body.scope ? await resolveScope(ctx.tx, body.scope) : undefined;
    if (body.role || scope) assertMayAssign(ctx.principal, body.role ?? before.role, scope ?? scopeOfRow(before));
    const row = await updateUser(ctx.tx, params.id, { displayName: body.displayName, role: body.role, scope });
    ctx.audit.add({ kind: 'admin', action: 'user.update', objectType: 'user', objectId: row.id, before: auditUser(before), after: auditUser(row) });
    const [view] = await adminViews(ctx.tx, ctx.kernel, [row]);
    return view;
  },
});
