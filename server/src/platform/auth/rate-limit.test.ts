import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from './rate-limit.ts';

test('a key gets its limit per window, other keys are unaffected, the window slides', () => {
  const l = new RateLimiter(3, 60_000);
  const t0 = 1_000_000;
  assert.equal(l.take('a', t0), true);
  assert.equal(l.take('a', t0 + 10), true);
  assert.equal(l.take('a', t0 + 20), true);
  assert.equal(l.take('a', t0 + 30), false);
  assert.equal(l.take('b', t0 + 30), true);
  assert.equal(l.take('a', t0 + 60_000), true);
  assert.equal(l.take('a', t0 + 60_005), false);
});
