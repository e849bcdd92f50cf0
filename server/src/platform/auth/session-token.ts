import { randomBytes } from 'node:crypto';
import { sm3Hex } from '../crypto/sm3.ts';

export const SESSION_COOKIE = 'wj_session';
export const CSRF_HEADER = 'x-csrf-token';

/** The token goes to the client; only its SM3 digest is stored, so a database leak yields no sessions. */
export function newSessionToken(): { token: string; id: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, id: sessionIdOf(token) };
}

export function sessionIdOf(token: string): string {
  return sm3Hex(token);
}
