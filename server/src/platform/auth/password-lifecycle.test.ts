import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, type TestSession, testApp } from '../../test/harness.ts';
import { DEMO_PASSWORD } from '../demo/users.ts';
import { API_PREFIX } from '../http/mount.ts';
import { hashPassword } from './password.ts';
import { enrolAndSignIn, get, login, makeUser, PASSWORD, post } from './test-helpers.ts';
import { createUser } from './users/service.ts';

let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp({ config: { passwordHistory: 3, passwordMaxAgeDays: 90, demo: false } });
  admin = await t.loginAs('city_admin');
});
after(() => t.close());

const change = (token: string, oldPassword: string, newPassword: string) => post(t, '/auth/password', { oldPassword, newPassword }, token);

test('password history: none of the last N passwords again (N = WEIJIAN_PASSWORD_HISTORY), hashes only', async () => {
  const u = await makeUser(t);
  const { token } = await enrolAndSignIn(t, u.username);
  const [p1, p2, p3] = ['Yangpu#Clinic2031', 'Minhang#Ward4417', 'Jingan#Record8824'];
  assert.equal((await change(token, PASSWORD, p1)).statusCode, 200);
  assert.equal((await change(token, p1, p2)).statusCode, 200);
  for (const old of [PASSWORD, p1]) {
    const r = await change(token, p2, old);
    assert.equal(r.statusCode, 400, old);
    assert.deepEqual(r.json().details, [{ field: 'newPassword', message: '新密码不能与最近 3 次使用过的密码相同' }]);
  }
  assert.equal((await change(token, p2, p3)).statusCode, 200);
  // Three back (current p3, then p2, p1): the first password is out of the history now.
  assert.equal((await change(token, p3, PASSWORD)).statusCode, 200);
  const rows = await t.kernel.db.query<{ password_hash: string }>('select password_hash from app_password_history where user_id = $1', [u.id]);
  assert.equal(rows.length, 2, 'only as many as the history needs');
  assert.ok(rows.every((r) => r.password_hash.startsWith('$argon2id$')));
});

test('an administrator’s reset puts the replaced password into the history', async () => {
  const u = await makeUser(t, 'hospital_user', { level: 'district', districtCode: '310115' });
  assert.equal(
    (await t.call(admin, { method: 'POST', url: `${API_PREFIX}/users/${u.id}/reset-password`, payload: { password: 'Temp#Reset2026x' } })).statusCode,
    200,
  );
  const { token } = await enrolAndSignIn(t, u.username, 'Temp#Reset2026x');
  const back = await change(token, 'Temp#Reset2026x', PASSWORD);
  assert.equal(back.statusCode, 400);
  assert.match(back.json().details[0].message, /最近 3 次/);
});

test('an expired password (WEIJIAN_PASSWORD_MAX_AGE_DAYS) must be changed at sign-in before anything else', async () => {
  const u = await makeUser(t);
  await t.kernel.db.query("update app_user set password_changed_at = now() - interval '89 days' where id = $1", [u.id]);
  const fine = await login(t, u.username);
  assert.deepEqual([fine.json().mustChangePassword, fine.json().passwordChangeReason], [false, null]);
  await t.kernel.db.query("update app_user set password_changed_at = now() - interval '91 days' where id = $1", [u.id]);
  const l = await login(t, u.username);
  assert.equal(l.statusCode, 200, l.body);
  assert.deepEqual([l.json().mustChangePassword, l.json().passwordChangeReason], [true, 'expired']);
  const { token } = await enrolAndSignIn(t, u.username);
  const blocked = await get(t, '/system/menu', token);
  assert.equal(blocked.statusCode, 403);
  assert.equal(blocked.json().code, 'PASSWORD_CHANGE_REQUIRED');
  assert.equal((await change(token, PASSWORD, 'Songjiang#Lab5512')).statusCode, 200);
  assert.equal((await get(t, '/system/menu', token)).statusCode, 200);
  const after = await login(t, u.username, 'Songjiang#Lab5512');
  assert.deepEqual([after.json().mustChangePassword, after.json().passwordChangeReason], [false, null]);
});

test('outside demo mode the demo password must be changed at sign-in and cannot be chosen', async () => {
  const row = await t.kernel.db.transaction(async (tx) =>
    createUser(tx, t.kernel.keys, {
      username: `demo_left_${process.pid}`,
      displayName: '遗留演示账号',
      role: 'city_admin',
      scope: { level: 'city' },
      passwordHash: await hashPassword(DEMO_PASSWORD),
    }),
  );
  const l = await login(t, row.username, DEMO_PASSWORD);
  assert.equal(l.statusCode, 200, l.body);
  assert.deepEqual([l.json().mustChangePassword, l.json().passwordChangeReason], [true, 'weak']);
  const u = await makeUser(t);
  const { token } = await enrolAndSignIn(t, u.username);
  const r = await change(token, PASSWORD, DEMO_PASSWORD);
  assert.equal(r.statusCode, 400);
  assert.deepEqual(r.json().details, [{ field: 'newPassword', message: '不能使用演示账号的公开密码' }]);
});
