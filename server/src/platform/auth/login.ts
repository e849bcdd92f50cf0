import { Type } from '@sinclair/typebox';
import { AppError, committed, tooMany } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { dummyPasswordHash, verifyPassword } from './password.ts';
import { loginLimiter } from './rate-limit.ts';
import { createSession } from './session.ts';
import { viewOf } from './user-load.ts';
import { USER_COLUMNS, type UserRow } from './user-view.ts';
import { shanghaiDateTime } from '../util/dates.ts';

const Body = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64, description: '用户名' }),
    password: Type.String({ minLength: 1, maxLength: 128, description: '密码' }),
  },
  { additionalProperties: false },
);

interface LoginRow extends UserRow {
  password_hash: string;
  failed_logins: number;
  locked: boolean;
}

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', '用户名或密码错误');

const shanghaiTime = shanghaiDateTime;

const accountLocked = (until: Date | string) =>
  new AppError(423, 'ACCOUNT_LOCKED', `登录失败次数过多，账号已锁定，请于 ${shanghaiTime(until)} 后重试或联系管理员解锁`);

/**
 * Password step of sign-in. Refusals are committed (AppError.commit) so the failure counter, the lock
 * and the audit event survive the error response.
 */
export const loginRoute = defineRoute({
  method: 'POST',
  url: '/auth/login',
  summary: '用户名密码登录',
  description: '成功后返回会话令牌（同时写入 wj_session Cookie）；随后须绑定（enroll）或验证（verify）动态口令。',
  tags: ['登录与会话'],
  auth: 'public',
  body: Body,
  handler: async (ctx, { body }) => {
    const username = body.username.trim().toLowerCase();
    if (!loginLimiter(ctx.kernel).take(`${ctx.ip ?? ''}|${username}`)) throw tooMany('登录尝试过于频繁，请稍后再试');
    const [u] = await ctx.tx.query<LoginRow>(
      `select ${USER_COLUMNS}, password_hash, failed_logins, coalesce(locked_until > now(), false) as locked from app_user where username = $1`,
      [username],
    );
    const refuse = (note: string, err: AppError) => {
      ctx.audit.add({
        kind: 'auth',
        action: 'auth.login_failed',
        objectType: 'user',
        objectId: u?.id ?? null,
        actor: { userId: u?.id ?? null, username, role: u?.role ?? 'anonymous' },
        districtCode: u?.scope_district ?? null,
        note,
      });
      return committed(err);
    };
    if (!u) {
      // Same cost as a real check, so timing does not tell whether the account exists.
      await verifyPassword(await dummyPasswordHash(), body.password);
      throw refuse('用户不存在', invalidCredentials());
    }
    if (u.locked) throw refuse('账号已锁定', accountLocked(u.locked_until as Date));
    if (!(await verifyPassword(u.password_hash, body.password))) {
      const failures = u.failed_logins + 1;
      if (failures >= ctx.kernel.config.loginMaxFailures) {
        const [l] = await ctx.tx.query<{ locked_until: Date }>(
          `update app_user set failed_logins = 0, locked_until = now() + $2::double precision * interval '1 minute'
            where id = $1 returning locked_until`,
          [u.id, ctx.kernel.config.lockoutMinutes],
        );
        throw refuse(`密码错误（第 ${failures} 次），账号锁定`, accountLocked(l.locked_until));
      }
      await ctx.tx.query('update app_user set failed_logins = $2 where id = $1', [u.id, failures]);
      throw refuse(`密码错误（第 ${failures} 次）`, invalidCredentials());
    }
    if (u.disabled) throw refuse('账号已停用', new AppError(403, 'ACCOUNT_DISABLED', '账号已停用，请联系管理员'));

    await ctx.tx.query('update app_user set failed_logins = 0, locked_until = null, last_login_at = now() where id = $1', [u.id]);
    const { token, csrfToken } = await createSession(ctx, u.id);
    ctx.audit.add({ kind: 'auth', action: 'auth.login', objectType: 'user', objectId: u.id, actor: { userId: u.id, username: u.username, role: u.role }, districtCode: u.scope_district ?? null });
    return {
      token,
      csrfToken,
      mfa: u.totp_enabled ? 'verify' : 'enroll',
      mustChangePassword: u.must_change_password,
      user: await viewOf(ctx.tx, ctx.kernel, u),
    };
  },
});
