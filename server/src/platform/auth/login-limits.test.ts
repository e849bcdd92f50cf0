import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../test/harness.ts';
import { API_PREFIX } from '../http/mount.ts';
import { enqueueJob } from '../jobs/enqueue.ts';
import { runPendingJobs } from '../jobs/scheduler.ts';
import { login, makeUser } from './test-helpers.ts';

let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp({
    config: { loginMaxFailures: 3, lockoutMinutes: 15, loginRatePerMinute: 8, loginAccountMaxFailures: 6, loginDelayBaseSeconds: 1, loginDelayMaxSeconds: 60 },
  });
  admin = await t.loginAs('city_admin');
});
after(() => t.close());

const pair = async (username: string, ip = '127.0.0.1') =>
  (
    await t.kernel.db.query<{ failures: number; locked_until: Date | null; last_success_at: Date | null }>(
      "select failures, locked_until, last_success_at from login_throttle where kind = 'pair' and key = $1",
      [`${username}|${ip}`],
    )
  )[0];

/** As if the last failure were just now (a slow machine must not outlast a 1-second delay by itself). */
const justFailed = (username: string, ip: string) =>
  t.kernel.db.query("update login_throttle set last_failure_at = now() where kind = 'pair' and key = $1", [`${username}|${ip}`]);

/** Lets the progressive delay of a (name, address) pair run out without waiting for it. */
const waitOut = (username: string, ip = '127.0.0.1') =>
  t.kernel.db.query("update login_throttle set last_failure_at = now() - interval '1 hour' where kind = 'pair' and key = $1", [`${username}|${ip}`]);

const auditFor = (username: string) =>
  t.kernel.db.query<{ action: string; actor_username: string; note: string; actor_id: number | null; ip: string | null }>(
    "select action, actor_username, note, actor_id, ip from audit_event where actor_username = $1 and kind = 'auth' order by seq",
    [username],
  );

const lastLogin = async (id: number) =>
  (await t.kernel.db.query<{ last_login_at: Date | null }>('select last_login_at from app_user where id = $1', [id]))[0]!.last_login_at;

test('wrong password and unknown user get the same 401; the failure is counted in the database and audited', async () => {
  const u = await makeUser(t);
  const wrong = await login(t, u.username, 'Wrong#Password1');
  assert.equal(wrong.statusCode, 401);
  const unknown = await login(t, 'nobody_here', 'Wrong#Password1');
  assert.equal(unknown.statusCode, 401);
  assert.equal(wrong.json().code, 'INVALID_CREDENTIALS');
  assert.equal(unknown.json().code, wrong.json().code);
  assert.equal(unknown.json().message, wrong.json().message);
  assert.equal((await pair(u.username))!.failures, 1, 'counter survives the error response');
  assert.equal((await pair('nobody_here'))!.failures, 1, 'an unknown name is counted like a real one');
  const events = await auditFor(u.username);
  assert.deepEqual(
    events.map((e) => e.action),
    ['auth.login_failed'],
  );
  assert.equal(events[0]!.actor_id, u.id);
  const ghost = await auditFor('nobody_here');
  assert.deepEqual(
    ghost.map((e) => [e.action, e.actor_id]),
    [['auth.login_failed', null]],
  );
  // A success resets the pair and marks the address as one the owner uses.
  assert.equal((await login(t, u.username)).statusCode, 200);
  const p = await pair(u.username);
  assert.equal(p!.failures, 0);
  assert.ok(p!.last_success_at);
  assert.ok(await lastLogin(u.id));
});

test('progressive delay per (name, address): two free failures, then 429 with Retry-After — the same for an unknown name', async () => {
  const u = await makeUser(t);
  for (const name of [u.username, 'ghost_delay']) {
    const ip = '10.3.0.1';
    assert.equal((await login(t, name, 'Wrong#Password1', ip)).statusCode, 401);
    assert.equal((await login(t, name, 'Wrong#Password2', ip)).statusCode, 401);
    await justFailed(name, ip);
    const third = await login(t, name, 'Wrong#Password3', ip);
    assert.equal(third.statusCode, 429, name);
    assert.equal(third.json().code, 'TOO_MANY_REQUESTS');
    assert.equal(third.headers['retry-after'], '1');
    assert.match(third.json().message, /请 1 秒后再试/);
    assert.equal((await pair(name, ip))!.failures, 2, 'a refused attempt is not a guess');
    // Another address is not slowed by this pair.
    assert.equal((await login(t, name, 'Wrong#Password3', '10.3.0.2')).statusCode, 401);
  }
  // Even the right password waits out the delay (the check comes before the password is looked at).
  await justFailed(u.username, '10.3.0.1');
  assert.equal((await login(t, u.username, undefined, '10.3.0.1')).statusCode, 429);
  await waitOut(u.username, '10.3.0.1');
  assert.equal((await login(t, u.username, undefined, '10.3.0.1')).statusCode, 200);
});

test('a lock is per (name, address): five requests from one address do not lock the account out elsewhere', async () => {
  const u = await makeUser(t, 'city_admin');
  const attacker = '10.4.0.66';
  for (const name of [u.username, 'ghost_lock']) {
    assert.equal((await login(t, name, 'Wrong#Password1', attacker)).statusCode, 401);
    assert.equal((await login(t, name, 'Wrong#Password2', attacker)).statusCode, 401);
    await waitOut(name, attacker);
    const third = await login(t, name, 'Wrong#Password3', attacker);
    assert.equal(third.statusCode, 423, `${name}: an unknown name locks exactly like a real one`);
    assert.equal(third.json().code, 'ACCOUNT_LOCKED');
    assert.match(third.json().message, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    const p = await pair(name, attacker);
    assert.ok(p!.locked_until && new Date(p!.locked_until).getTime() > Date.now() + 14 * 60_000);
  }
  assert.equal((await login(t, u.username, undefined, attacker)).statusCode, 423, 'locked there even with the right password');
  // The owner, from anywhere else, is not locked out.
  const owner = await login(t, u.username, undefined, '10.4.0.1');
  assert.equal(owner.statusCode, 200, owner.body);
  // The lock expires.
  await t.kernel.db.query("update login_throttle set locked_until = now() - interval '1 second' where key = $1", [`${u.username}|${attacker}`]);
  assert.equal((await login(t, u.username, undefined, attacker)).statusCode, 200);
  assert.equal((await auditFor(u.username)).filter((e) => e.action === 'auth.login_failed').length, 4);
});

test('an administrator unlocks: every address lock and delay of the user name is lifted, and it is audited', async () => {
  const u = await makeUser(t, 'hospital_user', { level: 'district', districtCode: '310115' });
  const ip = '10.5.0.9';
  await login(t, u.username, 'Wrong#Password1', ip);
  await login(t, u.username, 'Wrong#Password2', ip);
  await waitOut(u.username, ip);
  assert.equal((await login(t, u.username, 'Wrong#Password3', ip)).statusCode, 423);
  const r = await t.call(admin, { method: 'POST', url: `${API_PREFIX}/users/${u.id}/unlock` });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().lockedUntil, null);
  assert.equal((await login(t, u.username, undefined, ip)).statusCode, 200);
  const e = (
    await t.kernel.db.query<{ actor_username: string }>("select actor_username from audit_event where action = 'user.unlock' and object_id = $1", [
      String(u.id),
    ])
  )[0]!;
  assert.equal(e.actor_username, admin.username);
});

test('failures per address across user names (spraying): 429 after the limit; X-Forwarded-For does not make a new address', async () => {
  const ip = '10.1.1.1';
  for (let i = 0; i < 8; i++) {
    const r = await t.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/auth/login`,
      remoteAddress: ip,
      // No trusted proxy configured: a client naming its own address is ignored.
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i}` },
      payload: JSON.stringify({ username: `spray_${i}`, password: 'Spring#2026pass' }),
    });
    assert.equal(r.statusCode, 401, `name ${i}`);
  }
  const r = await login(t, 'spray_next', 'Spring#2026pass', ip);
  assert.equal(r.statusCode, 429);
  assert.equal(r.json().code, 'TOO_MANY_REQUESTS');
  assert.ok(Number(r.headers['retry-after']) > 0);
  assert.equal((await login(t, 'spray_next', 'Spring#2026pass', '10.1.1.2')).statusCode, 401, 'other addresses unaffected');
  const e = (await auditFor('spray_0'))[0]!;
  assert.equal(e.ip, ip, 'the audit trail records the connection address, not the forged header');
  // Kept in the database, so a restart does not reset it.
  const row = (await t.kernel.db.query<{ failures: number }>("select failures from login_throttle where kind = 'address' and key = $1", [ip]))[0]!;
  assert.equal(row.failures, 8);
});

test('failures per account across addresses throttle the account, except from an address that signed in to it before', async () => {
  const u = await makeUser(t);
  const home = '10.6.0.1';
  assert.equal((await login(t, u.username, undefined, home)).statusCode, 200);
  for (const name of [u.username, 'ghost_account']) {
    for (let i = 1; i <= 6; i++) assert.equal((await login(t, name, 'Wrong#Password1', `10.6.1.${i}`)).statusCode, 401);
    const fresh = await login(t, name, name === u.username ? undefined : 'Wrong#Password1', '10.6.1.99');
    assert.equal(fresh.statusCode, 429, `${name}: a new address is throttled (the same for an unknown name)`);
  }
  const owner = await login(t, u.username, undefined, home);
  assert.equal(owner.statusCode, 200, 'the owner’s usual address still signs in');
});

test('trusted proxies are configuration: with WEIJIAN_TRUST_PROXY naming the proxy, X-Forwarded-For is the client address', async () => {
  const p = await testApp({ config: { trustProxy: '127.0.0.1' } });
  try {
    const u = await makeUser(p);
    const viaProxy = (forwarded: string) =>
      p.app.inject({
        method: 'POST',
        url: `${API_PREFIX}/auth/login`,
        remoteAddress: '127.0.0.1',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwarded },
        payload: JSON.stringify({ username: u.username, password: 'Wrong#Password1' }),
      });
    assert.equal((await viaProxy('198.51.100.7')).statusCode, 401);
    const row = (await p.kernel.db.query<{ key: string }>("select key from login_throttle where kind = 'address'"))[0]!;
    assert.equal(row.key, '198.51.100.7');
    // A request from anywhere else is not a trusted proxy: its header is ignored.
    const direct = await p.app.inject({
      method: 'POST',
      url: `${API_PREFIX}/auth/login`,
      remoteAddress: '192.0.2.10',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.8' },
      payload: JSON.stringify({ username: u.username, password: 'Wrong#Password1' }),
    });
    assert.equal(direct.statusCode, 401);
    const keys = (await p.kernel.db.query<{ key: string }>("select key from login_throttle where kind = 'address' order by key")).map((r) => r.key);
    assert.deepEqual(keys, ['192.0.2.10', '198.51.100.7']);
  } finally {
    await p.close();
  }
});

test('a disabled user cannot sign in; a wrong password still gives the generic answer', async () => {
  const u = await makeUser(t);
  await t.kernel.db.query('update app_user set disabled = true where id = $1', [u.id]);
  const r = await login(t, u.username, undefined, '10.7.0.1');
  assert.equal(r.statusCode, 403);
  assert.equal(r.json().code, 'ACCOUNT_DISABLED');
  assert.equal((await login(t, u.username, 'Wrong#Password1', '10.7.0.1')).statusCode, 401);
  assert.equal(await t.kernel.db.query('select 1 from app_session s join app_user u on u.id = s.user_id where u.id = $1', [u.id]).then((x) => x.length), 0);
});

test('an account lock (too many wrong TOTP codes) is told only to a caller with the right password', async () => {
  const u = await makeUser(t);
  await t.kernel.db.query("update app_user set locked_until = now() + interval '1 hour' where id = $1", [u.id]);
  const wrong = await login(t, u.username, 'Wrong#Password1', '10.8.0.1');
  assert.equal(wrong.statusCode, 401, 'no difference from any other wrong password');
  const right = await login(t, u.username, undefined, '10.8.0.2');
  assert.equal(right.statusCode, 423);
});

test('the nightly clean-up drops sign-in counters untouched for over a month, never a live lock', async () => {
  await t.kernel.db.query(
    `insert into login_throttle (kind, key, failures, window_started_at, last_failure_at, locked_until) values
       ('address', '10.99.0.1', 3, now() - interval '40 days', now() - interval '40 days', null),
       ('pair', 'old_lock|10.99.0.2', 0, now() - interval '40 days', now() - interval '40 days', now() + interval '1 hour'),
       ('address', '10.99.0.3', 1, now() - interval '1 day', now() - interval '1 day', null)`,
  );
  const id = await t.kernel.db.transaction((tx) => enqueueJob(tx, 'auth.cleanup'));
  await runPendingJobs(t.kernel);
  const run = (await t.kernel.db.query<{ status: string }>('select status from job_run where id = $1', [id]))[0]!;
  assert.equal(run.status, 'succeeded');
  const keys = (await t.kernel.db.query<{ key: string }>("select key from login_throttle where key like '%10.99.%' order by key")).map((r) => r.key);
  assert.deepEqual(keys, ['10.99.0.3', 'old_lock|10.99.0.2']);
});
