import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Tx } from '../db/types.ts';
import type { RequestContext } from '../http/context.ts';
import { bumpAuthGeneration } from './session-cache.ts';
import { newSessionToken, SESSION_COOKIE } from './session-token.ts';

export function sessionCookieOptions(config: Config) {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: config.secureCookies, maxAge: Math.round(config.sessionMaxHours * 3600) };
}

/** A new session after the password was accepted; the second factor is still to come (mfa_passed=false). */
export async function createSession(ctx: RequestContext, userId: number): Promise<{ token: string; csrfToken: string }> {
  const { token, id } = newSessionToken();
  const csrfToken = randomBytes(24).toString('base64url');
  const ua = ctx.headers['user-agent'];
  await ctx.tx.query(
    `insert into app_session (id, user_id, csrf_token, mfa_passed, expires_at, ip, user_agent)
     values ($1, $2, $3, false, now() + $4::double precision * interval '1 hour', $5, $6)`,
    [id, userId, csrfToken, ctx.kernel.config.sessionMaxHours, ctx.ip, typeof ua === 'string' ? ua.slice(0, 256) : null],
  );
  ctx.reply?.setCookie(SESSION_COOKIE, token, sessionCookieOptions(ctx.kernel.config));
  return { token, csrfToken };
}

export async function revokeSession(tx: Tx, sessionId: string): Promise<void> {
  const [r] = await tx.query<{ user_id: number }>('update app_session set revoked_at = now() where id = $1 and revoked_at is null returning user_id', [
    sessionId,
  ]);
  if (r) await bumpAuthGeneration(tx, Number(r.user_id));
}

/** Every live session of a user (disable, 2FA reset, password change), optionally sparing the caller's own. */
export async function revokeUserSessions(tx: Tx, userId: number, exceptSessionId: string | null = null): Promise<number> {
  const rows = await tx.query(
    'update app_session set revoked_at = now() where user_id = $1 and revoked_at is null and ($2::text is null or id <> $2) returning id',
    [userId, exceptSessionId],
  );
  // Also when none was revoked: the callers changed the user (password, 2FA, disable) — cached sessions drop.
  await bumpAuthGeneration(tx, userId);
  return rows.length;
}

export function clearSessionCookie(ctx: RequestContext): void {
  ctx.reply?.clearCookie(SESSION_COOKIE, { path: '/' });
}
