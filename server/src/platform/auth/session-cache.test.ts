import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { testDatabaseUrl, withDb } from '../../test/db.ts';
import { type TestApp, type TestSession, testApp } from '../../test/harness.ts';
import { API_PREFIX } from '../http/mount.ts';
import { sessionCacheOf } from './session-cache.ts';
import { enrolAndSignIn, makeUser, PASSWORD, post } from './test-helpers.ts';

let t: TestApp;
before(async () => {
  t = await testApp({ config: { loginDelayBaseSeconds: 0 } });
});
after(() => t.close());

const stats = () => ({ ...sessionCacheOf(t.kernel).stats });
const me = (s: TestSession) => t.call(s, { method: 'GET', url: `${API_PREFIX}/auth/me` });
const asSession = (userId: number, token: string): TestSession => ({ userId, token, csrf: '', username: '' });

/** Two requests: the second must come from the cache (no session query), so the change below is tested against a cached session. */
async function warm(s: TestSession) {
  assert.equal((await me(s)).statusCode, 200);
  const before = stats();
  assert.equal((await me(s)).statusCode, 200);
  const now = stats();
  assert.equal(now.queries, before.queries, 'second request made no session query');
  assert.equal(now.hits, before.hits + 1, 'second request was served from the cache');
}

test('a cached session makes no session query and no last_seen write per request', async () => {
  const s = await t.loginAs('auditor');
  await warm(s);
  const b = stats();
  for (let i = 0; i < 5; i++) assert.equal((await me(s)).statusCode, 200);
  const a = stats();
  assert.equal(a.queries, b.queries);
  assert.equal(a.lastSeenWrites, b.lastSeenWrites, 'last_seen_at is written at most once a minute');
});

test('sign-out takes effect on the very next request', async () => {
  const u = await makeUser(t, 'auditor');
  const { token } = await enrolAndSignIn(t, u.username);
  const s = asSession(u.id, token);
  await warm(s);
  assert.equal((await post(t, '/auth/logout', {}, token)).statusCode, 200);
  assert.equal((await me(s)).statusCode, 401);
});

test('a password change ends the other (cached) sessions at once, the changing one stays', async () => {
  const u = await makeUser(t, 'auditor');
  const a = await enrolAndSignIn(t, u.username);
  const b = await t.loginAs('auditor');
  // Move the harness session to the same user: a second live session of u.
  await t.kernel.db.query('update app_session set user_id = $1 where user_id = $2', [u.id, b.userId]);
  const sb = asSession(u.id, b.token);
  const sa = asSession(u.id, a.token);
  await warm(sb);
  await warm(sa);
  const r = await post(t, '/auth/password', { oldPassword: PASSWORD, newPassword: 'Pudong#River2026x' }, a.token);
  assert.equal(r.statusCode, 200, r.body);
  assert.equal((await me(sb)).statusCode, 401, 'the other session ended');
  assert.equal((await me(sa)).statusCode, 200, 'the changing session stays');
});

test('a role change applies on the user’s next request', async () => {
  const admin = await t.loginAs('city_admin');
  const s = await t.loginAs('city_admin');
  await warm(s);
  assert.equal((await t.call(s, { method: 'GET', url: `${API_PREFIX}/users` })).statusCode, 200);
  const r = await t.call(admin, { method: 'PATCH', url: `${API_PREFIX}/users/${s.userId}`, payload: { role: 'auditor' } });
  assert.equal(r.statusCode, 200, r.body);
  const m = await me(s);
  assert.equal(m.statusCode, 200);
  assert.equal(m.json().user.role, 'auditor');
  assert.equal((await t.call(s, { method: 'GET', url: `${API_PREFIX}/users` })).statusCode, 403);
});

for (const action of ['disable', 'reset-2fa', 'reset-password'] as const) {
  test(`${action} by an administrator ends the user’s cached session on its next request`, async () => {
    const admin = await t.loginAs('city_admin');
    const s = await t.loginAs('auditor');
    await warm(s);
    const payload = action === 'reset-password' ? { password: 'Temp#Reset2026abc' } : {};
    const r = await t.call(admin, { method: 'POST', url: `${API_PREFIX}/users/${s.userId}/${action}`, payload });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal((await me(s)).statusCode, 401);
  });
}

test('idle expiry still holds for a cached session', async () => {
  const s = await t.loginAs('auditor');
  await warm(s);
  const config = t.kernel.config as { sessionIdleMinutes: number };
  const idle = config.sessionIdleMinutes;
  config.sessionIdleMinutes = 0.5 / 60; // half a second
  try {
    await new Promise((r) => setTimeout(r, 700));
    assert.equal((await me(s)).statusCode, 401);
  } finally {
    config.sessionIdleMinutes = idle;
  }
});

// A second process (its own pool, its own memory) disables the user: only LISTEN/NOTIFY can tell us.
test('PostgreSQL: a change made by another process reaches this cache through NOTIFY', { skip: !testDatabaseUrl() && 'needs TEST_DATABASE_URL' }, async () => {
  const s = await t.loginAs('auditor');
  await warm(s);
  const { name } = (await t.kernel.db.query<{ name: string }>('select current_database() as name'))[0]!;
  const url = withDb(testDatabaseUrl() as string, name);
  const heard = sessionCacheOf(t.kernel).stats.notifications;
  const script = `
    const { openPostgres } = await import(${JSON.stringify(new URL('../db/postgres.ts', import.meta.url).href)});
    const { setDisabled } = await import(${JSON.stringify(new URL('./users/service.ts', import.meta.url).href)});
    const db = await openPostgres(process.env.CHILD_DB_URL, 1);
    await db.transaction((tx) => setDisabled(tx, ${s.userId}, true));
    await db.close();`;
  const code = await new Promise<number | null>((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, CHILD_DB_URL: url },
      stdio: 'inherit',
    });
    p.on('exit', resolve);
  });
  assert.equal(code, 0);
  // NOTIFY is delivered asynchronously after the other process's commit (milliseconds).
  const deadline = Date.now() + 5000;
  while (sessionCacheOf(t.kernel).stats.notifications === heard && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(sessionCacheOf(t.kernel).stats.notifications > heard, 'the notification arrived');
  assert.equal((await me(s)).statusCode, 401);
});
