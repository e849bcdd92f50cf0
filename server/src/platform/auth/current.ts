import type { RequestContext } from '../http/context.ts';
import { unauthorized } from '../http/errors.ts';

/** The signed-in user's id and session id; routes with auth 'password'/'staff' always have them. */
export function currentSession(ctx: RequestContext): { userId: number; sessionId: string } {
  const { userId, sessionId } = ctx.principal;
  if (userId == null || !sessionId) throw unauthorized();
  return { userId, sessionId };
}
