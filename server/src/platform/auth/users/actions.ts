import { Type } from '@sinclair/typebox';
import { unprocessable } from '../../http/errors.ts';
import { defineRoute } from '../../http/route.ts';
import { PASSWORD_MAX_LENGTH } from '../password.ts';
import { adminViews } from '../user-load.ts';
import { auditUser } from '../user-view.ts';
import { loadManageable } from './guard.ts';
import { IdParams } from './schemas.ts';
import { resetPassword, resetTotp, setDisabled, unlockUser } from './service.ts';
import { Ok } from '../../http/schema.ts';
import { ManagedUser } from '../responses.ts';

const common = { auth: 'staff' as const, permission: 'auth.users.manage', tags: ['用户与角色'], params: IdParams };

export const resetTotpRoute = defineRoute({
  ...common,
  method: 'POST',
  url: '/users/:id/reset-2fa',
  summary: '重置动态口令',
  description: '清除已绑定的动态口令并使其会话失效；下次登录须重新绑定。',
  response: { 200: ManagedUser },
  handler: async (ctx, { params }) => {
    const before = await loadManageable(ctx, params.id);
    const row = await resetTotp(ctx.tx, params.id);
    ctx.audit.add({ kind: 'admin', action: 'user.reset_2fa', objectType: 'user', objectId: row.id, before: auditUser(before), after: auditUser(row) });
    return (await adminViews(ctx.tx, ctx.kernel, [row]))[0];
  },
});

function toggleRoute(disabled: boolean) {
  return defineRoute({
    ...common,
    method: 'POST',
    url: `/users/:id/${disabled ? 'disable' : 'enable'}`,
    summary: disabled ? '停用用户' : '启用用户（同时解除登录锁定）',
    description: disabled ? '停用后其全部会话立即失效。' : undefined,
    response: { 200: ManagedUser },
    handler: async (ctx, { params }) => {
      const before = await loadManageable(ctx, params.id);
      if (disabled && params.id === ctx.principal.userId) throw unprocessable('不能停用自己的账号');
      const row = await setDisabled(ctx.tx, params.id, disabled);
      ctx.audit.add({
        kind: 'admin',
        action: disabled ? 'user.disable' : 'user.enable',
        objectType: 'user',
        objectId: row.id,
        before: auditUser(before),
        after: auditUser(row),
      });
      return (await adminViews(ctx.tx, ctx.kernel, [row]))[0];
    },
  });
}

export const disableUserRoute = toggleRoute(true);
export const enableUserRoute = toggleRoute(false);

export const resetPasswordRoute = defineRoute({
  ...common,
  method: 'POST',
  url: '/users/:id/reset-password',
  summary: '重置密码',
  description: '设置临时密码；用户下次登录须修改，现有会话失效。',
  body: Type.Object({ password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH, description: '临时密码' }) }, { additionalProperties: false }),
  response: { 200: Ok },
  handler: async (ctx, { params, body }) => {
    const target = await loadManageable(ctx, params.id);
    await resetPassword(ctx.tx, params.id, target.username, body.password, ctx.kernel.config.passwordHistory);
    ctx.audit.add({ kind: 'admin', action: 'user.reset_password', objectType: 'user', objectId: target.id, note: '管理员重置密码，须在下次登录时修改' });
    return { ok: true };
  },
});

export const unlockUserRoute = defineRoute({
  ...common,
  method: 'POST',
  url: '/users/:id/unlock',
  summary: '解除登录锁定',
  description: '解除账号锁定（动态口令错误过多）以及各登录地址的失败锁定与延时。',
  response: { 200: ManagedUser },
  handler: async (ctx, { params }) => {
    const before = await loadManageable(ctx, params.id);
    const row = await unlockUser(ctx.tx, params.id);
    ctx.audit.add({ kind: 'admin', action: 'user.unlock', objectType: 'user', objectId: row.id, before: auditUser(before), after: auditUser(row) });
    return (await adminViews(ctx.tx, ctx.kernel, [row]))[0];
  },
});
