import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../../test/harness.ts';
import { API_PREFIX } from '../http/mount.ts';
import type { Scope } from '../scope/scope.ts';
import type { RoleCode } from './roles.ts';
import { totpCode, totpStep } from './totp.ts';
import { createUser } from './users/service.ts';

export const PASSWORD = 'Shanghai#Health2026';
let n = 0;

/** A user made directly through the service (no TOTP yet), for sign-in tests. */
export async function makeUser(t: TestApp, role: RoleCode = 'city_admin', scope: Scope = { level: 'city' }, username = `u${process.pid}x${++n}`) {
  const row = await t.kernel.db.transaction((tx) => createUser(tx, t.kernel.keys, { username, displayName: `测试用户${n}`, role, scope, password: PASSWORD }));
  return { id: row.id, username: row.username };
}

export function post(t: TestApp, url: string, body: unknown, token?: string, extra: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: API_PREFIX + url,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra },
    payload: JSON.stringify(body ?? {}),
  });
}

export function get(t: TestApp, url: string, token?: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url: API_PREFIX + url, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

export function login(t: TestApp, username: string, password = PASSWORD, ip = '127.0.0.1') {
  return t.app.inject({
    method: 'POST',
    url: `${API_PREFIX}/auth/login`,
    remoteAddress: ip,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ username, password }),
  });
}

/** Password → TOTP enrolment → verify: a fully signed-in session plus the TOTP secret. */
export async function enrolAndSignIn(t: TestApp, username: string, password = PASSWORD) {
  const l = await login(t, username, password);
  if (l.statusCode !== 200) throw new Error(`login ${l.statusCode} ${l.body}`);
  const { token, csrfToken } = l.json();
  const e = await post(t, '/auth/totp/enroll', {}, token);
  if (e.statusCode !== 200) throw new Error(`enroll ${e.statusCode} ${e.body}`);
  const { secret } = e.json();
  const step = totpStep(Date.now());
  const code = totpCode(secret, step * 30_000);
  const v = await post(t, '/auth/totp/verify', { code }, token);
  if (v.statusCode !== 200) throw new Error(`verify ${v.statusCode} ${v.body}`);
  return { token, csrfToken, secret, code, step };
}
