import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRng, shuffled, WeightedTable } from './rng.ts';

test('same seed and stream give the same sequence; another stream or seed differs', () => {
  const take = (r: SeededRng) => Array.from({ length: 8 }, () => r.next());
  assert.deepEqual(take(new SeededRng(7, 'a')), take(new SeededRng(7, 'a')));
  assert.notDeepEqual(take(new SeededRng(7, 'a')), take(new SeededRng(7, 'b')));
  assert.notDeepEqual(take(new SeededRng(7, 'a')), take(new SeededRng(8, 'a')));
});

test('values stay in range and are roughly uniform', () => {
  const r = new SeededRng(1, 'range');
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 100_000; i++) {
    const x = r.next();
    assert.ok(x >= 0 && x < 1);
    counts[Math.floor(x * 10)]++;
  }
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `bucket ${c}`);
  for (let i = 0; i < 1000; i++) {
    const n = r.int(3, 5);
    assert.ok(n >= 3 && n <= 5 && Number.isInteger(n));
  }
});

test('weighted choices follow their weights (list and precomputed table agree in distribution)', () => {
  const r = new SeededRng(2, 'w');
  const items = [
    ['a', 1],
    ['b', 3],
    ['c', 0],
  ] as const;
  const table = new WeightedTable(items);
  const n = { a: 0, b: 0, c: 0 };
  const m = { a: 0, b: 0, c: 0 };
  for (let i = 0; i < 40_000; i++) {
    n[r.weighted(items)]++;
    m[table.draw(r)]++;
  }
  for (const x of [n, m]) {
    assert.equal(x.c, 0);
    assert.ok(Math.abs(x.b / 40_000 - 0.75) < 0.02, JSON.stringify(x));
  }
  assert.throws(() => new WeightedTable([]), RangeError);
});

test('shuffle keeps the items', () => {
  const r = new SeededRng(3, 's');
  const items = Array.from({ length: 50 }, (_, i) => i);
  const s = shuffled(r, items);
  assert.notDeepEqual(s, items);
  assert.deepEqual(
    [...s].sort((x, y) => x - y),
    items,
  );
  assert.ok(r.chance(1) && !r.chance(0));
});
