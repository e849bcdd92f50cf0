import { defineRoute } from '../http/route.ts';
import { currentSession } from './current.ts';
import { loadUserRow, viewOf } from './user-load.ts';
import { Me } from './responses.ts';

export const meRoute = defineRoute({
  method: 'GET',
  url: '/auth/me',
  summary: '当前用户',
  description: 'mfaPending 为 true 表示尚未完成动态口令验证；mustChangePassword 为 true 时应先修改密码。',
  tags: ['登录与会话'],
  auth: 'password',
  response: { 200: Me },
  handler: async (ctx) => {
    const { userId } = currentSession(ctx);
    const row = await loadUserRow(ctx.tx, userId);
    return {
      user: await viewOf(ctx.tx, ctx.kernel, row!),
      mfaPending: !!ctx.principal.mfaPending,
      mustChangePassword: row!.must_change_password,
      csrfToken: ctx.principal.csrfToken,
    };
  },
});
