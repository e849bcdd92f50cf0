import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BirthRecordFact, computeBirthOrder } from './birth-order.ts';

let seq = 0;
const rec = (child: number, mother: number, father: number | null, birthDate: string, over: Partial<BirthRecordFact> = {}): BirthRecordFact => ({
  id: ++seq,
  childPersonId: child,
  motherPersonId: mother,
  fatherPersonId: father,
  birthDate,
  certificateNo: `P31${String(child).padStart(7, '0')}`,
  childName: `儿童${child}`,
  source: 'mch',
  claimedBirthOrder: null,
  ...over,
});

test('first child: order 1 of 1, no review', () => {
  const r = computeBirthOrder(1, [rec(1, 100, 200, '2024-05-01')]);
  assert.ok(r);
  assert.equal(r.birthOrder, 1);
  assert.equal(r.totalChildren, 1);
  assert.equal(r.needsReview, false);
  assert.match(r.explanation, /第 1 孩/);
});

test('second child of the same couple: order 2; the first stays 1', () => {
  const recs = [rec(1, 100, 200, '2022-05-01'), rec(2, 100, 200, '2025-01-10')];
  assert.equal(computeBirthOrder(2, recs)?.birthOrder, 2);
  assert.equal(computeBirthOrder(1, recs)?.birthOrder, 1);
  assert.deepEqual(
    computeBirthOrder(2, recs)?.siblings.map((s) => s.shared),
    ['both', 'self'],
  );
});

test('twins share the birth date and take consecutive orders by certificate number', () => {
  const recs = [
    rec(1, 100, 200, '2021-03-01'),
    rec(3, 100, 200, '2024-07-07', { certificateNo: 'P310000009' }),
    rec(2, 100, 200, '2024-07-07', { certificateNo: 'P310000008' }),
  ];
  assert.equal(computeBirthOrder(2, recs)?.birthOrder, 2);
  assert.equal(computeBirthOrder(3, recs)?.birthOrder, 3);
  const r = computeBirthOrder(3, recs);
  assert.ok(r?.siblings.filter((s) => s.sameDay).length === 2);
  assert.match(r?.explanation ?? '', /多胞胎/);
  assert.equal(r?.needsReview, false);
});

test("children from a parent's previous marriage count (either parent)", () => {
  const recs = [
    rec(1, 101, 200, '2020-01-01'), // father's child with his first wife
    rec(2, 100, 300, '2021-06-01'), // mother's child with her first husband
    rec(3, 100, 200, '2024-02-02'), // the couple's child
    rec(4, 555, 666, '2019-01-01'), // unrelated
  ];
  const r = computeBirthOrder(3, recs);
  assert.equal(r?.birthOrder, 3);
  assert.equal(r?.totalChildren, 3);
  assert.deepEqual(
    r?.siblings.map((s) => [s.childPersonId, s.shared]),
    [
      [1, 'father'],
      [2, 'mother'],
      [3, 'self'],
    ],
  );
  assert.match(r?.explanation ?? '', /同父异母或同母异父/);
  // A child without a recorded father counts only the mother's children.
  assert.equal(computeBirthOrder(5, [...recs, rec(5, 101, null, '2025-01-01')])?.birthOrder, 2);
});

test('conflicting sources → needsReview with the reasons; the trusted source decides the order', () => {
  const recs = [
    rec(1, 100, 200, '2022-01-01'),
    rec(2, 100, 200, '2024-01-01', { claimedBirthOrder: 2 }),
    rec(2, 100, 200, '2024-01-02', { source: 'police', childName: '别名', certificateNo: 'P319999999' }),
  ];
  const r = computeBirthOrder(2, recs);
  assert.equal(r?.birthOrder, 2);
  assert.equal(r?.needsReview, true);
  assert.deepEqual(r?.conflicts.map((c) => c.kind).sort(), ['birth_date_conflict', 'duplicate_certificate', 'name_mismatch']);
  assert.equal(r?.birthDate, '2024-01-01');
  assert.equal(r?.sources[0]?.source, 'mch');
  assert.match(r?.explanation ?? '', /人工核定/);

  const wrong = computeBirthOrder(2, [rec(1, 100, 200, '2022-01-01'), rec(2, 100, 200, '2024-01-01', { claimedBirthOrder: 1 })]);
  assert.deepEqual(
    wrong?.conflicts.map((c) => c.kind),
    ['claimed_order_mismatch'],
  );
  assert.match(wrong?.conflicts[0]?.message ?? '', /申报第 1 孩，计算为第 2 孩/);

  const mothers = computeBirthOrder(2, [rec(2, 100, 200, '2024-01-01'), rec(2, 101, 200, '2024-01-01', { source: 'police' })]);
  assert.deepEqual(
    mothers?.conflicts.map((c) => c.kind),
    ['mother_conflict'],
  );
  assert.equal(mothers?.motherPersonId, 100);
});

test('a child without records has no order', () => {
  assert.equal(computeBirthOrder(9, [rec(1, 100, 200, '2024-05-01')]), null);
});
