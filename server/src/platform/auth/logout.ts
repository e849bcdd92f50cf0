import { defineRoute } from '../http/route.ts';
import { currentSession } from './current.ts';
import { clearSessionCookie, revokeSession } from './session.ts';
import { Ok } from '../http/schema.ts';

export const logoutRoute = defineRoute({
  method: 'POST',
  url: '/auth/logout',
  summary: '退出登录',
  tags: ['登录与会话'],
  auth: 'password',
  response: { 200: Ok },
  handler: async (ctx) => {
    const { userId, sessionId } = currentSession(ctx);
    await revokeSession(ctx.tx, sessionId);
    clearSessionCookie(ctx);
    ctx.audit.add({ kind: 'auth', action: 'auth.logout', objectType: 'user', objectId: userId });
    return { ok: true };
  },
});
