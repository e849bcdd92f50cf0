import { Type } from '@sinclair/typebox';
import { AppError, committed, unprocessable } from '../http/errors.ts';
import { defineRoute } from '../http/route.ts';
import { currentSession } from './current.ts';
import { clearSessionCookie, revokeSession } from './session.ts';
import { verifyTotp } from './totp.ts';
import { loadUserRow, viewOf } from './user-load.ts';

/** Wrong codes a session may send before it is revoked (the password must then be given again). */
export const TOTP_MAX_FAILURES = 5;

const Body = Type.Object(
  { code: Type.String({ minLength: 6, maxLength: 6, pattern: '^[0-9]{6}$', description: '6 位动态口令' }) },
  { additionalProperties: false },
);

export const totpVerifyRoute = defineRoute({
  method: 'POST',
  url: '/auth/totp/verify',
  summary: '验证动态口令',
  description: '绑定时确认首个口令，或登录时的第二步验证；成功后会话完成登录。同一口令只能使用一次；连续 5 次错误会话作废。',
  tags: ['登录与会话'],
  auth: 'password',
  body: Body,
  handler: async (ctx, { body }) => {
    const { userId, sessionId } = currentSession(ctx);
    const [u] = await ctx.tx.query<{ totp_secret: string | null; totp_enabled: boolean; totp_last_step: number | string | null }>(
      'select totp_secret, totp_enabled, totp_last_step from app_user where id = $1',
      [userId],
    );
    if (!u.totp_secret) throw unprocessable('尚未绑定动态口令，请先完成绑定');
    const lastStep = u.totp_last_step == null ? null : Number(u.totp_last_step);
    const step = verifyTotp(ctx.kernel.keys.decryptField(u.totp_secret), body.code, { lastStep });
    // The conditional update also refuses a concurrent replay of the same code (row lock, re-check).
    const accepted =
      step !== null &&
      (await ctx.tx.query('update app_user set totp_enabled = true, totp_last_step = $2, updated_at = now() where id = $1 and (totp_last_step is null or totp_last_step < $2) returning id', [userId, step])).length > 0;
    if (!accepted) {
      const [s] = await ctx.tx.query<{ totp_failures: number }>('update app_session set totp_failures = totp_failures + 1 where id = $1 returning totp_failures', [sessionId]);
      const exhausted = s.totp_failures >= TOTP_MAX_FAILURES;
      ctx.audit.add({ kind: 'auth', action: 'auth.totp_failed', objectType: 'user', objectId: userId, note: exhausted ? `第 ${s.totp_failures} 次错误，会话已撤销` : `第 ${s.totp_failures} 次错误` });
      if (exhausted) {
        await revokeSession(ctx.tx, sessionId);
        clearSessionCookie(ctx);
        throw committed(new AppError(401, 'TOTP_LOCKED', '动态口令错误次数过多，请重新登录'));
      }
      throw committed(new AppError(400, 'INVALID_TOTP', '动态口令不正确或已使用', [{ field: 'code', message: '动态口令不正确或已使用，请输入身份验证器中的最新口令' }]));
    }
    await ctx.tx.query('update app_session set mfa_passed = true, totp_failures = 0 where id = $1', [sessionId]);
    ctx.audit.add({ kind: 'auth', action: u.totp_enabled ? 'auth.totp_verified' : 'auth.totp_enrolled', objectType: 'user', objectId: userId });
    const row = await loadUserRow(ctx.tx, userId);
    return { user: await viewOf(ctx.tx, ctx.kernel, row!) };
  },
});
