import assert from 'node:assert/strict';
import { test } from 'node:test';
import { worldAsOf } from './today.ts';

test("the world's today defaults to the start date in Shanghai, not a fixed day", () => {
  // 2026-12-07 17:00 UTC is already 2026-12-08 in Shanghai.
  assert.equal(worldAsOf({}, Date.parse('2026-12-07T17:00:00Z')), '2026-12-08');
  assert.equal(worldAsOf({}, Date.parse('2026-12-07T15:00:00Z')), '2026-12-07');
  assert.equal(worldAsOf({ WEIJIAN_WORLD_AS_OF: ' ' }, Date.parse('2027-03-01T01:00:00Z')), '2027-03-01');
});

test('WEIJIAN_WORLD_AS_OF pins it; a malformed or impossible date is refused', () => {
  assert.equal(worldAsOf({ WEIJIAN_WORLD_AS_OF: '2026-09-30' }), '2026-09-30');
  assert.throws(() => worldAsOf({ WEIJIAN_WORLD_AS_OF: '2026-02-30' }), /YYYY-MM-DD/);
  assert.throws(() => worldAsOf({ WEIJIAN_WORLD_AS_OF: '30.09.2026' }), /YYYY-MM-DD/);
});
