import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../../platform/http/errors.ts';
import { DISPOSAL_ACTIONS, DISPOSAL_STATUSES, isOverdue, nextAction, STEP, transition } from './disposal-state.ts';

test('each action leads from exactly one state; every other state is refused with a 422 in Chinese', () => {
  for (const action of DISPOSAL_ACTIONS) {
    for (const status of DISPOSAL_STATUSES) {
      if (status === STEP[action].from) {
        assert.equal(transition(status, action), STEP[action].to);
        continue;
      }
      assert.throws(
        () => transition(status, action),
        (e: unknown) => e instanceof AppError && e.status === 422 && /[\u4e00-\u9fa5]/.test(e.message),
        `${status} → ${action}`,
      );
    }
  }
  assert.throws(() => transition('draft', 'evaluate'), /须先下发/);
  assert.throws(() => transition('explained', 'explain'), /不能重复说明/);
  assert.throws(() => transition('closed', 'dispatch'), /已归档/);
  assert.equal(nextAction('closed'), null);
});

test('overdue: past the due date and not closed', () => {
  assert.equal(isOverdue('dispatched', '2026-01-01', '2026-01-02'), true);
  assert.equal(isOverdue('dispatched', '2026-01-02', '2026-01-02'), false);
  assert.equal(isOverdue('closed', '2026-01-01', '2026-01-02'), false);
});
