import type { JobDef } from '../jobs/types.ts';
import { RECENT_SUCCESS_DAYS } from './login-throttle.ts';

/** Expired sessions and used partner nonces are only needed for a while; keep the tables small. */
export const authJobs: JobDef[] = [
  {
    name: 'auth.cleanup',
    title: '清理过期会话、请求 nonce 与登录计数',
    defaultCron: '30 3 * * *',
    defaultEnabled: true,
    handler: async (ctx) => {
      const result = await ctx.transaction(async (tx) => {
        const sessions = await tx.query(
          `delete from app_session where (expires_at < now() - interval '30 days') or (revoked_at < now() - interval '30 days') returning id`,
        );
        const nonces = await tx.query(`delete from api_nonce where seen_at < now() - interval '1 day' returning nonce`);
        // Sign-in counters nobody touched for longer than the "recent success" memory and with no lock left.
        const throttles = await tx.query(
          `delete from login_throttle
            where greatest(window_started_at, last_failure_at, last_success_at) < now() - make_interval(days => $1::int)
              and (locked_until is null or locked_until < now()) returning key`,
          [RECENT_SUCCESS_DAYS + 1],
        );
        return { sessions: sessions.length, nonces: nonces.length, throttles: throttles.length };
      });
      await ctx.log(`删除过期会话 ${result.sessions} 条、nonce ${result.nonces} 条、过期登录计数 ${result.throttles} 条`);
      return result;
    },
  },
];
