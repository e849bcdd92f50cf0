import { defineRoute } from '../http/route.ts';
import { loadUserRow, viewOf } from './user-load.ts';
import { SessionProbe } from './responses.ts';

/**
 * "Am I signed in?" for the console's first paint: 200 either way (a visitor without a session is the
 * usual case on the sign-in page, not an error), with the same fields as /auth/me when signed in.
 */
export const sessionProbeRoute = defineRoute({
  method: 'GET',
  url: '/auth/session',
  summary: '当前会话（未登录时 signedIn = false）',
  description: '与 /auth/me 相同的字段另加 signedIn；没有会话或会话已过期时返回 200 与 signedIn = false，而不是 401。',
  tags: ['登录与会话'],
  auth: 'password',
  sessionOptional: true,
  response: { 200: SessionProbe },
  handler: async (ctx) => {
    const { userId } = ctx.principal;
    if (userId == null || ctx.principal.kind === 'anonymous') return { signedIn: false };
    const row = await loadUserRow(ctx.tx, userId);
    if (!row) return { signedIn: false };
    return {
      signedIn: true,
      user: await viewOf(ctx.tx, ctx.kernel, row),
      mfaPending: !!ctx.principal.mfaPending,
      mustChangePassword: row.must_change_password,
      csrfToken: ctx.principal.csrfToken,
    };
  },
});
