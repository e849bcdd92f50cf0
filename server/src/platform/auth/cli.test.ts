import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';
import { userCreateCommand, userReset2faCommand } from './cli.ts';
import { enrolAndSignIn, login } from './test-helpers.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());

async function run(cmd: typeof userCreateCommand, args: string[]) {
  const lines: string[] = [];
  const code = await cmd.run(args, t.kernel, (l) => lines.push(l));
  return { code, out: lines.join('\n') };
}

test('user create prints a generated password that signs in (TOTP enrolment next)', async () => {
  const r = await run(userCreateCommand, ['--username', 'Ops.Admin', '--name', '运维管理员', '--role', 'city_admin', '--scope', 'city']);
  assert.equal(r.code, 0, r.out);
  const password = /初始密码：(\S+)/.exec(r.out)?.[1];
  assert.ok(password, r.out);
  assert.match(r.out, /动态口令/);
  const l = await login(t, 'ops.admin', password);
  assert.equal(l.statusCode, 200, l.body);
  assert.equal(l.json().mfa, 'enroll');
  assert.equal(l.json().mustChangePassword, true);
  const [ev] = await t.kernel.db.query<{ actor_username: string; request_id: string }>(
    "select actor_username, request_id from audit_event where action = 'user.create'",
  );
  assert.deepEqual(ev, { actor_username: 'system', request_id: 'cli' });
});

test('user create with a given password and a district scope; errors print field details', async () => {
  const ok = await run(userCreateCommand, [
    '--username=dist1',
    '--name=区管理员',
    '--role=district_admin',
    '--scope=district:310101',
    '--password=District#Admin2026',
  ]);
  assert.equal(ok.code, 0, ok.out);
  assert.doesNotMatch(ok.out, /初始密码/);
  const [u] = await t.kernel.db.query<{ scope_level: string; scope_district: string; must_change_password: boolean }>(
    "select scope_level, scope_district, must_change_password from app_user where username = 'dist1'",
  );
  assert.deepEqual(u, { scope_level: 'district', scope_district: '310101', must_change_password: false });
  const weak = await run(userCreateCommand, ['--username=dist2', '--name=x', '--role=district_admin', '--scope=district:310101', '--password=weak']);
  assert.equal(weak.code, 2);
  assert.match(weak.out, /password：密码长度不能少于 10 个字符/);
  const badScope = await run(userCreateCommand, ['--username=dist3', '--name=x', '--role=district_admin', '--scope=planet:1']);
  assert.equal(badScope.code, 2);
  assert.match(badScope.out, /数据权限格式不正确/);
  const noKey = await run(userCreateCommand, ['--username=dist4', '--name=x', '--role=district_admin', '--scope=district']);
  assert.match(noKey.out, /scope\.districtCode/);
  const missing = await run(userCreateCommand, ['--username=dist5']);
  assert.equal(missing.code, 2);
  assert.match(missing.out, /--name/);
  assert.equal((await run(userCreateCommand, ['--username=dist1', '--name=x', '--role=district_admin', '--scope=city'])).code, 2, 'duplicate');
});

test('user reset-2fa', async () => {
  await run(userCreateCommand, ['--username=twofa', '--name=二次', '--role=auditor', '--scope=city', '--password=Auditor#Pass2026']);
  await enrolAndSignIn(t, 'twofa', 'Auditor#Pass2026');
  assert.equal((await login(t, 'twofa', 'Auditor#Pass2026')).json().mfa, 'verify');
  const r = await run(userReset2faCommand, ['TwoFA']);
  assert.equal(r.code, 0, r.out);
  assert.equal((await login(t, 'twofa', 'Auditor#Pass2026')).json().mfa, 'enroll');
  assert.equal((await run(userReset2faCommand, ['ghost'])).code, 1);
  assert.equal((await run(userReset2faCommand, [])).code, 2);
});
