import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPasswordPolicy, generatePassword, hashPassword, verifyPassword } from './password.ts';

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
  assert.deepEqual(checkPasswordPolicy('P@ssw0rd123', 'zhangsan'), ['密码过于常见，请更换']);
  assert.equal(checkPasswordPolicy('short', 'short').length, 3);
});

test('generated passwords meet the policy', () => {
  for (let i = 0; i < 200; i++) {
    const p = generatePassword();
    assert.equal(p.length, 16);
    assert.deepEqual(checkPasswordPolicy(p, 'admin'), [], p);
  }
});
