import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ApprovalFacts, decide, maskBankAccount, REVIEW_REASON_TITLE } from './approval.ts';

const ok: ApprovalFacts = { birthOrder: 1, birthOrderReview: false, parentsVerified: true, bankAccount: '6222021234567890123' };

const cases: [string, Partial<ApprovalFacts>, string, string[]][] = [
  ['everything in order', {}, 'approved', []],
  ['second child, 16-digit card', { birthOrder: 2, bankAccount: '6222021234567890' }, 'approved', []],
  ['birth order under review', { birthOrderReview: true }, 'manual_review', ['birth_order_review']],
  ['birth order missing', { birthOrder: null }, 'manual_review', ['birth_order_missing']],
  ['parents unverified', { parentsVerified: false }, 'manual_review', ['parents_unverified']],
  ['no bank account', { bankAccount: null }, 'manual_review', ['bank_account_missing']],
  ['bank account too short', { bankAccount: '622202123456' }, 'manual_review', ['bank_account_invalid']],
  ['bank account with letters', { bankAccount: '62220212345678AB' }, 'manual_review', ['bank_account_invalid']],
  [
    'several failures, all recorded',
    { birthOrderReview: true, parentsVerified: false, bankAccount: null },
    'manual_review',
    ['birth_order_review', 'parents_unverified', 'bank_account_missing'],
  ],
];

for (const [name, patch, status, reasons] of cases) {
  test(`auto-approval: ${name}`, () => {
    const d = decide({ ...ok, ...patch });
    assert.equal(d.status, status);
    assert.deepEqual(d.reasons, reasons);
    for (const r of d.reasons) assert.match(REVIEW_REASON_TITLE[r], /[\u4e00-\u9fa5]/);
  });
}

test('bank accounts are masked to the first and last four digits', () => {
  assert.equal(maskBankAccount('6222021234567890123'), '6222 **** **** 0123');
  assert.equal(maskBankAccount(null), null);
});
