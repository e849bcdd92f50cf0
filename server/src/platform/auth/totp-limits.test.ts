import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../test/harness.ts';
import { API_PREFIX } from '../http/mount.ts';
import { enrolAndSignIn, get, login, makeUser, post } from './test-helpers.ts';
import { totpCode } from './totp.ts';

let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp({ config: { totpMaxFailures: 4, loginDelayBaseSeconds: 1, lockoutMinutes: 15 } });
  admin = await t.loginAs('city_admin');
});
after(() => t.close());

const counter = async (id: number) =>
  (await t.kernel.db.query<{ totp_failures: number; locked_until: Date | null }>('select totp_failures, locked_until from app_user where id = $1', [id]))[0];
/** As if the last wrong code were just now / long ago (a slow machine must not outlast a 1-second delay). */
const lastWrongCode = (id: number, when: 'now' | 'long ago') =>
  t.kernel.db.query(`update app_user set totp_last_failure_at = now() - interval '${when === 'now' ? '0' : '1 hour'}' where id = $1`, [id]);
const freshSession = async (username: string) => {
  const l = await login(t, username);
  assert.equal(l.statusCode, 200, l.body);
  return l.json().token as string;
};

test('wrong TOTP codes count per account across sessions: delayed, then the account locks; audited; an administrator unlocks', async () => {
  const u = await makeUser(t);
  const { secret, step } = await enrolAndSignIn(t, u.username);
  const first = await freshSession(u.username);
  // One wrong code per new session: the per-session count never reaches its 5.
  assert.equal((await post(t, '/auth/totp/verify', { code: '000000' }, first)).statusCode, 400);
  assert.equal((await post(t, '/auth/totp/verify', { code: '000000' }, await freshSession(u.username))).statusCode, 400);
  assert.equal((await counter(u.id))!.totp_failures, 2);
  const third = await freshSession(u.username);
  await lastWrongCode(u.id, 'now');
  const slowed = await post(t, '/auth/totp/verify', { code: '000000' }, third);
  assert.equal(slowed.statusCode, 429, 'a new session does not start the count again');
  assert.equal(slowed.headers['retry-after'], '1');
  // Even the right code waits: the delay is checked before the code.
  assert.equal((await post(t, '/auth/totp/verify', { code: totpCode(secret, (step + 1) * 30_000) }, third)).statusCode, 429);
  assert.equal((await counter(u.id))!.totp_failures, 2, 'a refused attempt is not a guess');

  await lastWrongCode(u.id, 'long ago');
  assert.equal((await post(t, '/auth/totp/verify', { code: '000000' }, third)).statusCode, 400);
  await lastWrongCode(u.id, 'long ago');
  const locked = await post(t, '/auth/totp/verify', { code: '000000' }, await freshSession(u.username));
  assert.equal(locked.statusCode, 423);
  assert.equal(locked.json().code, 'ACCOUNT_LOCKED');
  const c = await counter(u.id);
  assert.ok(c!.locked_until && new Date(c!.locked_until).getTime() > Date.now() + 14 * 60_000);
  assert.equal((await get(t, '/auth/me', first)).statusCode, 401, 'every session of the account ended');
  // The lock holds from every address, and is told only to a caller with the right password.
  assert.equal((await login(t, u.username, undefined, '10.9.0.1')).statusCode, 423);
  assert.equal((await login(t, u.username, 'Wrong#Password1', '10.9.0.2')).statusCode, 401);

  const events = await t.kernel.db.query<{ action: string; note: string }>(
    "select action, note from audit_event where object_id = $1 and action like 'auth.totp_%' and action <> 'auth.totp_enroll' order by seq",
    [String(u.id)],
  );
  assert.deepEqual(
    events.map((e) => e.action),
    ['auth.totp_enrolled', 'auth.totp_failed', 'auth.totp_failed', 'auth.totp_failed', 'auth.totp_locked'],
  );
  assert.match(events[3]!.note, /账号累计第 3 次/);
  assert.match(events[4]!.note, /累计 4 次/);

  const unlock = await t.call(admin, { method: 'POST', url: `${API_PREFIX}/users/${u.id}/unlock` });
  assert.equal(unlock.statusCode, 200, unlock.body);
  const again = await freshSession(u.username);
  assert.equal((await post(t, '/auth/totp/verify', { code: totpCode(secret, (step + 1) * 30_000) }, again)).statusCode, 200);
  assert.deepEqual(await counter(u.id), { totp_failures: 0, locked_until: null });
});

test('a right code resets the account count', async () => {
  const u = await makeUser(t);
  const { secret, step } = await enrolAndSignIn(t, u.username);
  assert.equal((await post(t, '/auth/totp/verify', { code: '000000' }, await freshSession(u.username))).statusCode, 400);
  assert.equal((await counter(u.id))!.totp_failures, 1);
  assert.equal((await post(t, '/auth/totp/verify', { code: totpCode(secret, (step + 1) * 30_000) }, await freshSession(u.username))).statusCode, 200);
  assert.equal((await counter(u.id))!.totp_failures, 0);
});
