import { Type } from '@sinclair/typebox';
import { AppError, committed, unauthorized, unprocessable } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { currentSession } from './current.ts';
import { delaySeconds } from './login-throttle.ts';
import { bumpAuthGeneration } from './session-cache.ts';
import { clearSessionCookie, revokeSession, revokeUserSessions } from './session.ts';
import { verifyTotp } from './totp.ts';
import { loadUserRow, viewOf } from './user-load.ts';
import { TotpVerified } from './responses.ts';

/**
 * Wrong codes a session may send before it is revoked (the password must then be given again). Wrong
 * codes are also counted per account across sessions (app_user.totp_failures): progressively delayed,
 * and at WEIJIAN_TOTP_MAX_FAILURES the account is locked for WEIJIAN_LOCKOUT_MINUTES.
 */
export const TOTP_MAX_FAILURES = 5;

const Body = Type.Object(
  { code: Type.String({ minLength: 6, maxLength: 6, pattern: '^[0-9]{6}$', description: '6 位动态口令' }) },
  { additionalProperties: false },
);

export const totpVerifyRoute = defineRoute({
  method: 'POST',
  url: '/auth/totp/verify',
  summary: '验证动态口令',
  description:
    '绑定时确认首个口令，或登录时的第二步验证；成功后会话完成登录。同一口令只能使用一次；同一会话 5 次错误会话作废；同一账号（跨会话）累计错误逐次延时，达到上限后账号锁定。',
  tags: ['登录与会话'],
  auth: 'password',
  body: Body,
  response: { 200: TotpVerified },
  handler: async (ctx, { body }) => {
    const { userId, sessionId } = currentSession(ctx);
    const { config } = ctx.kernel;
    // The row lock judges one account's codes one at a time, whatever session they come from.
    const [u] = await ctx.tx.query<{
      totp_secret: string | null;
      totp_enabled: boolean;
      totp_last_step: number | string | null;
      totp_failures: number;
      since_failure: number | null;
    }>(
      `select totp_secret, totp_enabled, totp_last_step, totp_failures,
              extract(epoch from now() - totp_last_failure_at)::double precision as since_failure
         from app_user where id = $1 for update`,
      [userId],
    );
    if (!u) throw unauthorized();
    if (!u.totp_secret) throw unprocessable('尚未绑定动态口令，请先完成绑定');
    // Per account, across sessions: after 2 wrong codes each next one must wait (1 s, 2 s, 4 s … capped).
    const wait = delaySeconds(u.totp_failures, config) - (u.since_failure ?? Number.POSITIVE_INFINITY);
    if (wait > 0) {
      ctx.reply?.header('retry-after', String(Math.max(1, Math.ceil(wait))));
      throw new AppError(429, 'TOO_MANY_REQUESTS', `动态口令尝试过于频繁，请 ${Math.max(1, Math.ceil(wait))} 秒后再试`);
    }
    const lastStep = u.totp_last_step == null ? null : Number(u.totp_last_step);
    const step = verifyTotp(ctx.kernel.keys.decryptField(u.totp_secret), body.code, { lastStep });
    // The conditional update also refuses a concurrent replay of the same code (row lock, re-check).
    const accepted =
      step !== null &&
      (
        await ctx.tx.query(
          'update app_user set totp_enabled = true, totp_last_step = $2, totp_failures = 0, totp_last_failure_at = null, updated_at = now() where id = $1 and (totp_last_step is null or totp_last_step < $2) returning id',
          [userId, step],
        )
      ).length > 0;
    if (!accepted) {
      const [a] = await ctx.tx.query<{ totp_failures: number }>(
        'update app_user set totp_failures = totp_failures + 1, totp_last_failure_at = now() where id = $1 returning totp_failures',
        [userId],
      );
      const [s] = await ctx.tx.query<{ totp_failures: number }>(
        'update app_session set totp_failures = totp_failures + 1 where id = $1 returning totp_failures',
        [sessionId],
      );
      if (!a || !s) throw unauthorized(); // the session or its user went away meanwhile
      if (a.totp_failures >= config.totpMaxFailures) {
        // Whoever is guessing has the password: lock the whole account (all addresses) and end its sessions.
        const [l] = await ctx.tx.query<{ locked_until: Date }>(
          `update app_user set totp_failures = 0, locked_until = now() + $2::double precision * interval '1 minute' where id = $1 returning locked_until`,
          [userId, config.lockoutMinutes],
        );
        await revokeUserSessions(ctx.tx, userId);
        clearSessionCookie(ctx);
        ctx.audit.add({
          kind: 'auth',
          action: 'auth.totp_locked',
          objectType: 'user',
          objectId: userId,
          note: `账号累计 ${a.totp_failures} 次动态口令错误，账号锁定至 ${new Date(l!.locked_until).toISOString()}，全部会话已撤销`,
        });
        throw committed(new AppError(423, 'ACCOUNT_LOCKED', '动态口令错误次数过多，账号已锁定，请稍后重试或联系管理员解锁'));
      }
      const exhausted = s.totp_failures >= TOTP_MAX_FAILURES;
      ctx.audit.add({
        kind: 'auth',
        action: 'auth.totp_failed',
        objectType: 'user',
        objectId: userId,
        note: `本会话第 ${s.totp_failures} 次、账号累计第 ${a.totp_failures} 次错误${exhausted ? '，会话已撤销' : ''}`,
      });
      if (exhausted) {
        await revokeSession(ctx.tx, sessionId);
        clearSessionCookie(ctx);
        throw committed(new AppError(401, 'TOTP_LOCKED', '动态口令错误次数过多，请重新登录'));
      }
      throw committed(
        new AppError(400, 'INVALID_TOTP', '动态口令不正确或已使用', [{ field: 'code', message: '动态口令不正确或已使用，请输入身份验证器中的最新口令' }]),
      );
    }
    await ctx.tx.query('update app_session set mfa_passed = true, totp_failures = 0 where id = $1', [sessionId]);
    await bumpAuthGeneration(ctx.tx, userId); // the cached session still says "second factor pending"
    ctx.audit.add({ kind: 'auth', action: u.totp_enabled ? 'auth.totp_verified' : 'auth.totp_enrolled', objectType: 'user', objectId: userId });
    const row = await loadUserRow(ctx.tx, userId);
    return { user: await viewOf(ctx.tx, ctx.kernel, row!) };
  },
});
