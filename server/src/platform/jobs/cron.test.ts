import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../http/errors.ts';
import { assertCron, cronProblem, nextRun } from './cron.ts';

test('valid 5-field expressions pass', () => {
  for (const e of ['*/10 * * * *', '0 2 * * *', '0 * * * *', '30 8 * * 1-5', '0 0 1 * *', '0 0 * * 1#1', ' 0  2 * * * ']) {
    assert.equal(cronProblem(e), null, e);
  }
  assert.equal(assertCron(' 0  2 * * * '), '0 2 * * *');
});

test('invalid expressions are refused with a reason', () => {
  for (const e of ['', '* * * *', '0 0 * * * *', '@daily', '61 * * * *', 'a b c d e', '0 0 30 2 *', 'H * * * *', "0 2 * * *'; drop"]) {
    assert.match(cronProblem(e) ?? '', /^cron 表达式无效/, JSON.stringify(e));
  }
});

test('assertCron throws a 400 field error on cron', () => {
  try {
    assertCron('99 * * * *');
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof AppError);
    assert.equal(e.status, 400);
    assert.equal(e.details[0]!.field, 'cron');
    assert.match(e.details[0]!.message, /^cron 表达式无效/);
  }
});

test('next run follows the Shanghai wall clock', () => {
  // 02:00 in Shanghai is 18:00 UTC the day before.
  assert.equal(nextRun('0 2 * * *', new Date('2026-01-01T00:00:00Z')).toISOString(), '2026-01-01T18:00:00.000Z');
  assert.equal(nextRun('*/10 * * * *', new Date('2026-01-01T00:00:00Z')).toISOString(), '2026-01-01T00:10:00.000Z');
  assert.equal(nextRun('*/10 * * * *', new Date('2026-01-01T00:03:10Z')).toISOString(), '2026-01-01T00:10:00.000Z');
});
