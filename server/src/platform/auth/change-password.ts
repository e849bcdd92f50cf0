import { Type } from '@sinclair/typebox';
import { committed, unauthorized } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { currentSession } from './current.ts';
import { invalidInput } from './invalid.ts';
import { checkPasswordPolicy, hashPassword, PASSWORD_MAX_LENGTH, verifyPassword } from './password.ts';
import { isEarlierPassword, rememberPassword } from './password-history.ts';
import { revokeUserSessions } from './session.ts';
import { Ok } from '../http/schema.ts';

const Body = Type.Object(
  {
    oldPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH, description: '原密码' }),
    newPassword: Type.String({
      minLength: 1,
      maxLength: PASSWORD_MAX_LENGTH,
      description: '新密码：至少 10 位，含大写、小写、数字、符号中的 3 类，不含用户名，不是常用密码，不与最近几次的密码相同',
    }),
  },
  { additionalProperties: false },
);

export const changePasswordRoute = defineRoute({
  method: 'POST',
  url: '/auth/password',
  summary: '修改本人密码',
  description: '成功后本人的其他会话全部失效。密码过期（WEIJIAN_PASSWORD_MAX_AGE_DAYS）或被管理员重置后，须先调用本接口。',
  tags: ['登录与会话'],
  auth: 'staff',
  body: Body,
  response: { 200: Ok },
  handler: async (ctx, { body }) => {
    const { userId, sessionId } = currentSession(ctx);
    const [u] = await ctx.tx.query<{ username: string; password_hash: string }>('select username, password_hash from app_user where id = $1', [userId]);
    if (!u) throw unauthorized();
    if (!(await verifyPassword(u.password_hash, body.oldPassword))) {
      ctx.audit.add({ kind: 'auth', action: 'auth.password_change_failed', objectType: 'user', objectId: userId, note: '原密码不正确' });
      throw committed(invalidInput('原密码不正确', [{ field: 'oldPassword', message: '原密码不正确' }]));
    }
    const { demo, passwordHistory } = ctx.kernel.config;
    const problems = checkPasswordPolicy(body.newPassword, u.username, { demo });
    if (body.newPassword === body.oldPassword) problems.push('新密码不能与原密码相同');
    else if (!problems.length && (await isEarlierPassword(ctx.tx, userId, body.newPassword, passwordHistory))) {
      problems.push(`新密码不能与最近 ${passwordHistory} 次使用过的密码相同`);
    }
    if (problems.length)
      throw invalidInput(
        '新密码不符合要求',
        problems.map((message) => ({ field: 'newPassword', message })),
      );
    await rememberPassword(ctx.tx, userId, u.password_hash, passwordHistory);
    await ctx.tx.query('update app_user set password_hash = $2, password_changed_at = now(), must_change_password = false, updated_at = now() where id = $1', [
      userId,
      await hashPassword(body.newPassword),
    ]);
    await revokeUserSessions(ctx.tx, userId, sessionId);
    ctx.audit.add({ kind: 'auth', action: 'auth.password_changed', objectType: 'user', objectId: userId });
    return { ok: true };
  },
});
