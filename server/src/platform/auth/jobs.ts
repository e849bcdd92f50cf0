import type { JobDef } from '../jobs/types.ts';

/** Expired sessions and used partner nonces are only needed for a while; keep the tables small. */
export const authJobs: JobDef[] = [
  {
    name: 'auth.cleanup',
    title: '清理过期会话与请求 nonce',
    defaultCron: '30 3 * * *',
    defaultEnabled: true,
    handler: async (ctx) => {
      const result = await ctx.transaction(async (tx) => {
        const sessions = await tx.query(
          `delete from app_session where (expires_at < now() - interval '30 days') or (revoked_at < now() - interval '30 days') returning id`,
        );
        const nonces = await tx.query(`delete from api_nonce where seen_at < now() - interval '1 day' returning nonce`);
        return { sessions: sessions.length, nonces: nonces.length };
      });
      await ctx.log(`删除过期会话 ${result.sessions} 条、nonce ${result.nonces} 条`);
      return result;
    },
  },
];
