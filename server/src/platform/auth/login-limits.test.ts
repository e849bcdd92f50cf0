import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';
import { login, makeUser } from './test-helpers.ts';

let t: TestApp;
before(async () => {
  t = await testApp({ config: { loginMaxFailures: 3, lockoutMinutes: 15, loginRatePerMinute: 8 } });
});
after(() => t.close());

const state = async (id: number) =>
  (await t.kernel.db.query<{ failed_logins: number; locked_until: Date | null; last_login_at: Date | null }>('select failed_logins, locked_until, last_login_at from app_user where id = $1', [id]))[0];

const auditFor = (username: string) =>
  t.kernel.db.query<{ action: string; actor_username: string; note: string; actor_id: number | null }>(
    "select action, actor_username, note, actor_id from audit_event where actor_username = $1 and kind = 'auth' order by seq",
    [username],
  );

test('wrong password and unknown user get the same 401; the failure is counted and audited', async () => {
  const u = await makeUser(t);
  const wrong = await login(t, u.username, 'Wrong#Password1');
  assert.equal(wrong.statusCode, 401);
  const unknown = await login(t, 'nobody_here', 'Wrong#Password1');
  assert.equal(unknown.statusCode, 401);
  assert.equal(wrong.json().code, 'INVALID_CREDENTIALS');
  assert.equal(unknown.json().code, wrong.json().code);
  assert.equal(unknown.json().message, wrong.json().message);
  assert.equal((await state(u.id)).failed_logins, 1, 'counter survives the error response');
  const events = await auditFor(u.username);
  assert.deepEqual(events.map((e) => e.action), ['auth.login_failed']);
  assert.equal(events[0].actor_id, u.id);
  const ghost = await auditFor('nobody_here');
  assert.deepEqual(ghost.map((e) => [e.action, e.actor_id]), [['auth.login_failed', null]]);
  // A success resets the counter and stamps the time.
  assert.equal((await login(t, u.username)).statusCode, 200);
  const s = await state(u.id);
  assert.equal(s.failed_logins, 0);
  assert.ok(s.last_login_at);
});

test('after N failures the account is locked (423 with the unlock time), even for the right password', async () => {
  const u = await makeUser(t);
  assert.equal((await login(t, u.username, 'Wrong#Password1')).statusCode, 401);
  assert.equal((await login(t, u.username, 'Wrong#Password2')).statusCode, 401);
  assert.equal((await state(u.id)).failed_logins, 2);
  const third = await login(t, u.username, 'Wrong#Password3');
  assert.equal(third.statusCode, 423);
  assert.equal(third.json().code, 'ACCOUNT_LOCKED');
  assert.match(third.json().message, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  const s = await state(u.id);
  assert.ok(s.locked_until && new Date(s.locked_until).getTime() > Date.now() + 14 * 60_000);
  const right = await login(t, u.username);
  assert.equal(right.statusCode, 423, 'locked even with the right password');
  // The lock expires.
  await t.kernel.db.query("update app_user set locked_until = now() - interval '1 second' where id = $1", [u.id]);
  assert.equal((await login(t, u.username)).statusCode, 200);
  assert.equal((await auditFor(u.username)).filter((e) => e.action === 'auth.login_failed').length, 4);
});

test('rate limit per (address, user name): 429 after the limit, other addresses unaffected', async () => {
  for (let i = 0; i < 8; i++) assert.equal((await login(t, 'rate_probe', 'Wrong#Password1', '10.1.1.1')).statusCode, 401);
  const r = await login(t, 'rate_probe', 'Wrong#Password1', '10.1.1.1');
  assert.equal(r.statusCode, 429);
  assert.equal(r.json().code, 'TOO_MANY_REQUESTS');
  assert.equal((await login(t, 'rate_probe', 'Wrong#Password1', '10.1.1.2')).statusCode, 401);
  assert.equal((await login(t, 'other_name', 'Wrong#Password1', '10.1.1.1')).statusCode, 401);
});

test('a disabled user cannot sign in; a wrong password still gives the generic answer', async () => {
  const u = await makeUser(t);
  await t.kernel.db.query('update app_user set disabled = true where id = $1', [u.id]);
  const r = await login(t, u.username);
  assert.equal(r.statusCode, 403);
  assert.equal(r.json().code, 'ACCOUNT_DISABLED');
  assert.equal((await login(t, u.username, 'Wrong#Password1')).statusCode, 401);
  assert.equal(await t.kernel.db.query('select 1 from app_session s join app_user u on u.id = s.user_id where u.id = $1', [u.id]).then((x) => x.length), 0);
});
