import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RFC_SECRET, totp } from './totp.ts';

test('TOTP helper matches the RFC 6238 test vectors (SHA1, 6 digits)', () => {
  assert.equal(totp(RFC_SECRET, 59_000), '287082');
  assert.equal(totp(RFC_SECRET, 1_111_111_109_000), '081804');
  assert.equal(totp(RFC_SECRET, 1_234_567_890_000), '005924');
});
