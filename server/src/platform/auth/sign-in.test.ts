import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';
import { API_PREFIX } from '../http/mount.ts';
import { sessionCacheOf } from './session-cache.ts';
import { sessionIdOf } from './session-token.ts';
import { enrolAndSignIn, get, login, makeUser, PASSWORD, post } from './test-helpers.ts';
import { base32Decode, totpCode } from './totp.ts';

let t: TestApp;
before(async () => {
  // No progressive delay here: these tests send wrong codes back to back (delays: login-limits, totp-limits).
  t = await testApp({ config: { loginDelayBaseSeconds: 0 } });
});
after(() => t.close());

test('full sign-in: password → enrol TOTP → verify → /auth/me → a staff route works', async () => {
  const u = await makeUser(t, 'city_admin');
  const l = await login(t, u.username.toUpperCase());
  assert.equal(l.statusCode, 200, l.body);
  const body = l.json();
  assert.equal(body.mfa, 'enroll');
  assert.ok(body.token && body.csrfToken);
  assert.equal(body.user.username, u.username);
  assert.equal(body.user.roleName, '市级管理员');
  assert.equal(body.user.scopeLabel, '全市');
  assert.ok(body.user.permissions.includes('auth.users.manage'));
  const cookie = l.cookies.find((c) => c.name === 'wj_session');
  assert.ok(cookie, 'session cookie set');
  assert.equal(cookie.value, body.token);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(cookie.path, '/');
  // Only the token's SM3 digest is stored.
  const s = (await t.kernel.db.query<{ mfa_passed: boolean }>('select mfa_passed from app_session where id = $1', [sessionIdOf(body.token)]))[0]!;
  assert.equal(s.mfa_passed, false);

  // Before the second factor: staff routes refuse with MFA_REQUIRED, password routes answer.
  const early = await get(t, '/system/menu', body.token);
  assert.equal(early.statusCode, 401);
  assert.equal(early.json().code, 'MFA_REQUIRED');
  const me0 = await get(t, '/auth/me', body.token);
  assert.equal(me0.statusCode, 200);
  assert.equal(me0.json().mfaPending, true);

  const e = await post(t, '/auth/totp/enroll', {}, body.token);
  assert.equal(e.statusCode, 200, e.body);
  const { secret, otpauthUri, qrDataUrl } = e.json();
  assert.equal(base32Decode(secret).length, 20);
  assert.equal(otpauthUri, `otpauth://totp/weijian:${u.username}?secret=${secret}&issuer=weijian`);
  assert.match(qrDataUrl, /^data:image\/png;base64,/);
  const stored = (
    await t.kernel.db.query<{ totp_secret: string; totp_enabled: boolean }>('select totp_secret, totp_enabled from app_user where id = $1', [u.id])
  )[0]!;
  assert.ok(!stored.totp_secret.includes(secret), 'secret stored sealed');
  assert.equal(t.kernel.keys.decryptField(stored.totp_secret), secret);
  assert.equal(stored.totp_enabled, false, 'enabled only once a code is verified');

  const bad = await post(t, '/auth/totp/verify', { code: totpCode(secret, Date.now() - 5 * 60_000) }, body.token);
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().details[0].field, 'code');

  const v = await post(t, '/auth/totp/verify', { code: totpCode(secret) }, body.token);
  assert.equal(v.statusCode, 200, v.body);
  assert.equal(v.json().user.id, u.id);

  const me = await get(t, '/auth/me', body.token);
  assert.equal(me.json().mfaPending, false);
  assert.equal(me.json().user.username, u.username);
  const menu = await get(t, '/system/menu', body.token);
  assert.equal(menu.statusCode, 200, menu.body);

  // Enrolled now: a second enrolment is refused (a stolen password cannot re-bind the second factor).
  assert.equal((await post(t, '/auth/totp/enroll', {}, body.token)).statusCode, 409);

  const audit = await t.kernel.db.query<{ action: string }>("select action from audit_event where object_type = 'user' and object_id = $1 order by seq", [
    String(u.id),
  ]);
  assert.deepEqual(
    audit.map((a) => a.action),
    ['auth.login', 'auth.totp_enroll', 'auth.totp_failed', 'auth.totp_enrolled'],
  );
});

test('second sign-in asks for verify; a replayed code is refused; 5 wrong codes revoke the session', async () => {
  const u = await makeUser(t);
  const { secret, code, step } = await enrolAndSignIn(t, u.username);
  const l = await login(t, u.username);
  assert.equal(l.json().mfa, 'verify');
  const token = l.json().token;
  // The code just used for enrolment cannot be used again.
  const replay = await post(t, '/auth/totp/verify', { code }, token);
  assert.equal(replay.statusCode, 400);
  assert.equal(replay.json().code, 'INVALID_TOTP');
  // The next step's code (inside the ±1 window) works once.
  const next = totpCode(secret, (step + 1) * 30_000);
  assert.equal((await post(t, '/auth/totp/verify', { code: next }, token)).statusCode, 200);
  const l2 = await login(t, u.username);
  assert.equal((await post(t, '/auth/totp/verify', { code: next }, l2.json().token)).statusCode, 400);

  const l3 = await login(t, u.username);
  const t3 = l3.json().token;
  for (let i = 1; i <= 4; i++) assert.equal((await post(t, '/auth/totp/verify', { code: '000000' }, t3)).statusCode, 400);
  const fifth = await post(t, '/auth/totp/verify', { code: '000000' }, t3);
  assert.equal(fifth.statusCode, 401);
  assert.equal(fifth.json().code, 'TOTP_LOCKED');
  assert.equal((await get(t, '/auth/me', t3)).statusCode, 401, 'session revoked');
  // Malformed codes are input errors with field details.
  const shape = await post(t, '/auth/totp/verify', { code: '12ab' }, l2.json().token);
  assert.equal(shape.statusCode, 400);
  assert.equal(shape.json().details[0].field, 'code');
});

test('an expired session is refused', async () => {
  const u = await makeUser(t);
  const { token } = await enrolAndSignIn(t, u.username);
  assert.equal((await get(t, '/auth/me', token)).statusCode, 200);
  await t.kernel.db.query("update app_session set expires_at = now() - interval '1 minute' where id = $1", [sessionIdOf(token)]);
  // Edited behind the application's back: forget the cached look-up (expiry itself is checked on every hit).
  sessionCacheOf(t.kernel).clear();
  const r = await get(t, '/auth/me', token);
  assert.equal(r.statusCode, 401);
  assert.equal(r.json().code, 'UNAUTHORIZED');
});

test('logout revokes the session and clears the cookie', async () => {
  const u = await makeUser(t);
  const { token } = await enrolAndSignIn(t, u.username);
  const r = await post(t, '/auth/logout', {}, token);
  assert.equal(r.statusCode, 200);
  assert.deepEqual(r.json(), { ok: true });
  const cleared = r.cookies.find((c) => c.name === 'wj_session');
  assert.ok(cleared && cleared.value === '');
  assert.equal((await get(t, '/auth/me', token)).statusCode, 401);
});

test('CSRF: a cookie-authenticated POST needs x-csrf-token; bearer calls do not', async () => {
  const u = await makeUser(t);
  const { token, csrfToken } = await enrolAndSignIn(t, u.username);
  const viaCookie = (headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/auth/password`,
      cookies: { wj_session: token },
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify({ oldPassword: 'wrong', newPassword: 'x' }),
    });
  const none = await viaCookie({});
  assert.equal(none.statusCode, 403);
  assert.equal(none.json().code, 'CSRF');
  assert.equal((await viaCookie({ 'x-csrf-token': 'not-it' })).statusCode, 403);
  const ok = await viaCookie({ 'x-csrf-token': csrfToken });
  assert.equal(ok.statusCode, 400, 'past CSRF, refused on the wrong old password');
  assert.equal(ok.json().details[0].field, 'oldPassword');
  // GET by cookie needs no CSRF token.
  const me = await t.app.inject({ method: 'GET', url: `${API_PREFIX}/auth/me`, cookies: { wj_session: token } });
  assert.equal(me.statusCode, 200);
  // Logout by cookie with the token works.
  const out = await t.app.inject({ method: 'POST', url: `${API_PREFIX}/auth/logout`, cookies: { wj_session: token }, headers: { 'x-csrf-token': csrfToken } });
  assert.equal(out.statusCode, 200);
});

test('change password: policy refusals with field details, then success ends other sessions', async () => {
  const u = await makeUser(t);
  const a = await enrolAndSignIn(t, u.username);
  const l = await login(t, u.username);
  const other = l.json().token;
  const weak = await post(t, '/auth/password', { oldPassword: PASSWORD, newPassword: 'short' }, a.token);
  assert.equal(weak.statusCode, 400);
  const w = weak.json();
  assert.equal(w.code, 'VALIDATION_FAILED');
  assert.ok(w.details.length >= 2);
  assert.ok(w.details.every((d: { field: string }) => d.field === 'newPassword'));
  assert.ok(w.details.some((d: { message: string }) => d.message.includes('10')));
  const withName = await post(t, '/auth/password', { oldPassword: PASSWORD, newPassword: `X#9${u.username}abc` }, a.token);
  assert.ok(withName.json().details.some((d: { message: string }) => d.message === '密码不能包含用户名'));
  const missing = await post(t, '/auth/password', { oldPassword: PASSWORD }, a.token);
  assert.equal(missing.statusCode, 400);
  assert.deepEqual(missing.json().details, [{ field: 'newPassword', message: '必填' }]);
  const extra = await post(t, '/auth/password', { oldPassword: PASSWORD, newPassword: 'Another#Pass2026', admin: true }, a.token);
  assert.equal(extra.statusCode, 400);

  const ok = await post(t, '/auth/password', { oldPassword: PASSWORD, newPassword: 'Another#Pass2026' }, a.token);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal((await get(t, '/auth/me', a.token)).statusCode, 200, 'own session kept');
  assert.equal((await get(t, '/auth/me', other)).statusCode, 401, 'other sessions ended');
  assert.equal((await login(t, u.username)).statusCode, 401);
  assert.equal((await login(t, u.username, 'Another#Pass2026')).statusCode, 200);
});

test('login input errors are 400 with field details', async () => {
  const r = await post(t, '/auth/login', { username: '', extra: 1 });
  assert.equal(r.statusCode, 400);
  const fields = r
    .json()
    .details.map((d: { field: string }) => d.field)
    .sort();
  assert.deepEqual(fields, ['extra', 'password', 'username']);
});
