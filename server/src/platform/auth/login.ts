import { Type } from '@sinclair/typebox';
import { AppError, committed } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { checkSignIn, recordFailure, recordSuccess, throttleKeys, tooManyAttempts } from './login-throttle.ts';
import { dummyPasswordHash, passwordChangeReason, verifyPassword } from './password.ts';
import { bumpAuthGeneration } from './session-cache.ts';
import { createSession } from './session.ts';
import { viewOf } from './user-load.ts';
import { USER_COLUMNS, type UserRow } from './user-view.ts';
import { shanghaiDateTime } from '../util/dates.ts';
import { LoginResult } from './responses.ts';

const Body = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64, description: '用户名' }),
    password: Type.String({ minLength: 1, maxLength: 128, description: '密码' }),
  },
  { additionalProperties: false },
);

interface LoginRow extends UserRow {
  password_hash: string;
  locked: boolean;
  expired: boolean;
}

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', '用户名或密码错误');

const shanghaiTime = shanghaiDateTime;

const accountLocked = (until: Date | string) =>
  new AppError(423, 'ACCOUNT_LOCKED', `登录失败次数过多，账号已锁定，请于 ${shanghaiTime(until)} 后重试或联系管理员解锁`);

/**
 * Password step of sign-in. Refusals are committed (AppError.commit) so the failure counters, the lock
 * and the audit event survive the error response. Throttling: see login-throttle.ts.
 */
export const loginRoute = defineRoute({
  method: 'POST',
  url: '/auth/login',
  summary: '用户名密码登录',
  description: '成功后返回会话令牌（同时写入 wj_session Cookie）；随后须绑定（enroll）或验证（verify）动态口令。',
  tags: ['登录与会话'],
  auth: 'public',
  body: Body,
  response: { 200: LoginResult },
  handler: async (ctx, { body }) => {
    const { config } = ctx.kernel;
    const username = body.username.trim().toLowerCase();
    const [u] = await ctx.tx.query<LoginRow>(
      `select ${USER_COLUMNS}, password_hash, coalesce(locked_until > now(), false) as locked,
              ($2::int > 0 and password_changed_at < now() - make_interval(days => $2::int) and not (demo and $3::boolean)) as expired
         from app_user where username = $1`,
      // Demo accounts share a published password in demo mode: it never expires there.
      [username, config.passwordMaxAgeDays, config.demo],
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
    // Counters are keyed by the name as typed: an unknown name is delayed and locked like a real one.
    const keys = throttleKeys(ctx.ip, username);
    const verdict = await checkSignIn(ctx.tx, config, keys);
    if (!verdict.ok && verdict.kind === 'locked') throw refuse('该地址登录失败次数过多，已锁定', accountLocked(verdict.until));
    if (!verdict.ok) {
      ctx.reply?.header('retry-after', String(Math.max(1, Math.ceil(verdict.seconds))));
      throw tooManyAttempts(verdict.seconds);
    }
    // An unknown user costs one argon2 verify too, so timing does not tell whether the account exists.
    const passwordOk = await verifyPassword(u ? u.password_hash : await dummyPasswordHash(), body.password);
    if (!u || !passwordOk) {
      const { failures, lockedUntil } = await recordFailure(ctx.tx, config, keys);
      const what = u ? '密码错误' : '用户不存在';
      if (lockedUntil) throw refuse(`${what}（本地址第 ${failures} 次），该账号在本地址锁定`, accountLocked(lockedUntil));
      throw refuse(`${what}（本地址第 ${failures} 次）`, invalidCredentials());
    }
    // Told only to a caller who knows the password: a lock of the whole account (too many wrong TOTP
    // codes, or an administrator's), and a disabled account.
    if (u.locked) throw refuse('账号已锁定', accountLocked(u.locked_until as Date));
    if (u.disabled) throw refuse('账号已停用', new AppError(403, 'ACCOUNT_DISABLED', '账号已停用，请联系管理员'));

    await recordSuccess(ctx.tx, keys);
    const changeReason = passwordChangeReason(config, u, body.password);
    if (changeReason && !u.must_change_password) {
      await ctx.tx.query('update app_user set must_change_password = true where id = $1', [u.id]);
      await bumpAuthGeneration(ctx.tx, u.id); // the user's other (cached) sessions must change the password too
    }
    await ctx.tx.query('update app_user set last_login_at = now() where id = $1', [u.id]);
    const { token, csrfToken } = await createSession(ctx, u.id);
    ctx.audit.add({
      kind: 'auth',
      action: 'auth.login',
      objectType: 'user',
      objectId: u.id,
      actor: { userId: u.id, username: u.username, role: u.role },
      districtCode: u.scope_district ?? null,
    });
    return {
      token,
      csrfToken,
      mfa: u.totp_enabled ? 'verify' : 'enroll',
      mustChangePassword: changeReason !== null,
      /** Why the password must be changed first: reset by an administrator, expired, or no longer allowed. */
      passwordChangeReason: changeReason,
      user: await viewOf(ctx.tx, ctx.kernel, { ...u, must_change_password: changeReason !== null }),
    };
  },
});
