import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../http/route.ts';
import { PASSWORD_MAX_LENGTH } from '../password.ts';
import { adminViews } from '../user-load.ts';
import { auditUser } from '../user-view.ts';
import { assertMayAssign } from './guard.ts';
import { RoleInput } from './schemas.ts';
import { resolveScope, ScopeInput } from './scope-input.ts';
import { createUser } from './service.ts';
import { ManagedUser } from '../responses.ts';

const Body = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 32, description: '用户名（字母、数字、点、下划线、连字符）' }),
    displayName: Type.String({ minLength: 1, maxLength: 64, description: '姓名' }),
    role: RoleInput,
    scope: ScopeInput,
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH, description: '初始密码（首次登录须修改）' }),
  },
  { additionalProperties: false },
);

export const createUserRoute = defineRoute({
  method: 'POST',
  url: '/users',
  summary: '新建用户',
  description: '只能在本人数据权限范围内创建，且不能授予高于本人的角色。新用户首次登录须修改密码并绑定动态口令。',
  tags: ['用户与角色'],
  auth: 'staff',
  permission: 'auth.users.manage',
  body: Body,
  successStatus: 201,
  response: { 201: ManagedUser },
  handler: async (ctx, { body }) => {
    const scope = await resolveScope(ctx.tx, body.scope);
    assertMayAssign(ctx.principal, body.role, scope);
    const row = await createUser(ctx.tx, ctx.kernel.keys, { ...body, scope, mustChangePassword: true });
    ctx.audit.add({ kind: 'admin', action: 'user.create', objectType: 'user', objectId: row.id, after: auditUser(row) });
    const [view] = await adminViews(ctx.tx, ctx.kernel, [row]);
    return view;
  },
});
