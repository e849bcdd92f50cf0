import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { toMasked } from '../../systems/common/resident-index/shapes.ts';
import type { PersonRow } from '../../systems/common/resident-index/repository.ts';
import { openTestDb } from '../../test/db.ts';
import type { Database } from '../db/types.ts';
import { addDays, ageOn, ageToday, shanghaiDate, shanghaiDateTime, todayInShanghai } from './dates.ts';

// 00:30 on 7 December 2026 in Shanghai is still 6 December in UTC.
const SHANGHAI_0030 = Date.parse('2026-12-06T16:30:00Z');

test('today is the Shanghai date: after 16:00 UTC it is already tomorrow', () => {
  assert.equal(todayInShanghai(SHANGHAI_0030), '2026-12-07');
  assert.equal(todayInShanghai(Date.parse('2026-12-06T15:59:59.999Z')), '2026-12-06');
  assert.equal(shanghaiDate('2026-12-31T16:00:00Z'), '2027-01-01');
  assert.equal(shanghaiDateTime(SHANGHAI_0030), '2026-12-07 00:30');
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2026-01-01', -1), '2025-12-31');
});

test('周岁: the birthday itself counts; 29 February turns older on 1 March; never negative', () => {
  assert.equal(ageOn('2000-12-07', '2026-12-06'), 25);
  assert.equal(ageOn('2000-12-07', '2026-12-07'), 26);
  assert.equal(ageOn('2000-02-29', '2026-02-28'), 25);
  assert.equal(ageOn('2000-02-29', '2026-03-01'), 26);
  assert.equal(ageOn('2000-02-29', '2028-02-29'), 28);
  assert.equal(ageOn('2027-01-01', '2026-12-07'), 0);
  assert.equal(ageToday('2000-12-07', SHANGHAI_0030), 26);
});

test('birthday edge: a resident born 2000-12-07 is 26 at 00:30 Shanghai time on 2026-12-07', (t) => {
  // The wall clock itself, as the resident view reads it (it used the UTC date and said 25 here).
  t.mock.timers.enable({ apis: ['Date'], now: SHANGHAI_0030 });
  const person = { id: 1, name: '张三', sex: 'M', birth_date: '2000-12-07', death_date: null, status: 'alive' } as unknown as PersonRow;
  assert.equal(toMasked(person).age, 26);
  t.mock.timers.reset();
});

let db: Database;
let drop: () => Promise<void>;
before(async () => {
  ({ db, drop } = await openTestDb({ fromTemplate: false }));
});
after(() => drop());

test('every connection runs with TimeZone Asia/Shanghai: current_date and timestamptz::date agree with todayInShanghai()', async () => {
  const tz = (await db.query<{ tz: string }>('select current_setting($1) as tz', ['TimeZone']))[0]!;
  assert.equal(tz.tz, 'Asia/Shanghai');
  const r = (
    await db.query<{ d: string; today: string }>(`select $1::timestamptz::date::text as d, current_date::text as today`, ['2026-12-06T16:30:00Z'])
  )[0]!;
  assert.equal(r.d, '2026-12-07');
  // Unless the test straddles midnight in Shanghai, the database's today is ours.
  const before = todayInShanghai();
  const after = todayInShanghai();
  if (before === after) assert.equal(r.today, before);
  // Inside transactions too (a pooled connection on PostgreSQL).
  const inTx = await db.transaction((tx) => tx.query<{ tz: string }>(`select current_setting('TimeZone') as tz`));
  assert.equal(inTx[0]!.tz, 'Asia/Shanghai');
  const age = (
    await db.query<{ a: number }>(`select extract(year from age($1::timestamptz::date, '2000-12-07'::date))::int as a`, ['2026-12-06T16:30:00Z'])
  )[0]!;
  assert.equal(age.a, 26);
});
