import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PASSWORD } from '../demo/users.ts';
import { checkPasswordPolicy, generatePassword, hashPassword, isCommonPassword, passwordChangeReason, verifyPassword } from './password.ts';

test('argon2id hash verifies the right password only', async () => {
  const h = await hashPassword('Weijian#2026ok');
  assert.match(h, /^\$argon2id\$/);
  assert.equal(await verifyPassword(h, 'Weijian#2026ok'), true);
  assert.equal(await verifyPassword(h, 'Weijian#2026oK'), false);
  assert.equal(await verifyPassword('not a hash', 'x'), false);
});

test('policy: length, classes, username, common passwords', () => {
  assert.deepEqual(checkPasswordPolicy('Weijian#2026ok', 'zhangsan'), []);
  assert.deepEqual(checkPasswordPolicy('Ab1!', 'zhangsan'), ['密码长度不能少于 10 个字符']);
  assert.deepEqual(checkPasswordPolicy('abcdefghijk1', 'zhangsan'), ['密码需包含大写字母、小写字母、数字、符号中的至少 3 类']);
  assert.deepEqual(checkPasswordPolicy('abcdefghij#1', 'zhangsan'), []);
  assert.deepEqual(checkPasswordPolicy('ABCDEFGHIJ#1', 'zhangsan'), []);
  assert.deepEqual(checkPasswordPolicy('xxZhangSan#2026', 'zhangsan'), ['密码不能包含用户名']);
  assert.deepEqual(checkPasswordPolicy('P@ssw0rd123', 'zhangsan'), [COMMON_MESSAGE]);
  assert.equal(checkPasswordPolicy('short', 'short').length, 3);
});

const COMMON_MESSAGE = '密码过于常见（在常用密码表中或由常用密码加数字、符号组成），请更换';

test('common passwords from the bundled list, also dressed up with case, leet letters, digits and symbols', () => {
  // Each meets the length and class rules; each was accepted before the list was bundled.
  for (const p of [
    'Password2026!',
    'Iloveyou#2026',
    'Qwertyuiop#1',
    '1qaz@WSX3edc',
    'Woaini1314!!',
    'Shanghai#2026',
    'P@ssw0rd#2026',
    'Pass#word#99',
    '2026#Dragon!',
    'Monkey123456!',
  ]) {
    assert.deepEqual(checkPasswordPolicy(p, 'zhangsan'), [COMMON_MESSAGE], p);
    assert.equal(isCommonPassword(p), true, p);
  }
  for (const p of ['Weijian#2026ok', 'Shanghai#Health2026', 'Tz8#mKq2vLp9', 'Xuhui-Clinic#7731']) assert.equal(isCommonPassword(p), false, p);
});

test('the demo accounts’ public password is refused unless in demo mode', () => {
  assert.deepEqual(checkPasswordPolicy(DEMO_PASSWORD, 'zhangsan'), ['不能使用演示账号的公开密码']);
  assert.deepEqual(checkPasswordPolicy(DEMO_PASSWORD, 'zhangsan', { demo: true }), []);
});

test('a password that must be changed at sign-in: reset, expired, or no longer allowed by the policy', () => {
  const base = { must_change_password: false, expired: false, username: 'zhangsan' };
  assert.equal(passwordChangeReason({ demo: false }, base, 'Weijian#2026ok'), null);
  assert.equal(passwordChangeReason({ demo: false }, { ...base, must_change_password: true }, 'Weijian#2026ok'), 'reset');
  assert.equal(passwordChangeReason({ demo: false }, { ...base, expired: true }, 'Weijian#2026ok'), 'expired');
  assert.equal(passwordChangeReason({ demo: false }, base, DEMO_PASSWORD), 'weak');
  assert.equal(passwordChangeReason({ demo: true }, base, DEMO_PASSWORD), null);
  assert.equal(passwordChangeReason({ demo: false }, base, 'Password2026!'), 'weak');
});

test('generated passwords meet the policy', () => {
  for (let i = 0; i < 200; i++) {
    const p = generatePassword();
    assert.equal(p.length, 16);
    assert.deepEqual(checkPasswordPolicy(p, 'admin'), [], p);
  }
});
