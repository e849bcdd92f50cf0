import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database } from '../db/types.ts';
import { openTestDb } from '../../test/db.ts';
import { addMonths, ageYears, civilFromDays, daysFromCivil, formatDate, isDateString, parseDate, shanghaiDay, timestampMs } from './dates.ts';

let db: Database;
let drop: () => Promise<void>;
before(async () => {
  ({ db, drop } = await openTestDb({ fromTemplate: false }));
});
after(() => drop());

test('day numbers round-trip across the whole supported range', () => {
  for (const s of ['0001-01-01', '0099-12-31', '1900-02-28', '1970-01-01', '2000-02-29', '2024-12-31', '9999-12-31']) {
    assert.equal(formatDate(parseDate(s)), s);
  }
  assert.equal(parseDate('1970-01-01'), 0);
  assert.equal(parseDate('2024-03-01') - parseDate('2024-02-28'), 2);
  for (let d = daysFromCivil(1899, 1, 1); d < daysFromCivil(2101, 1, 1); d += 7) {
    const [y, m, dd] = civilFromDays(d);
    assert.equal(daysFromCivil(y, m, dd), d);
  }
  assert.ok(isDateString('2024-02-29'));
  assert.ok(!isDateString('2023-02-29'));
  assert.throws(() => parseDate('2023-02-30'), /不是日期/);
});

test('months clamp to the month end, as PostgreSQL intervals do', () => {
  const add = (s: string, n: number) => formatDate(addMonths(parseDate(s), n));
  assert.equal(add('2024-01-31', 1), '2024-02-29');
  assert.equal(add('2023-01-31', 1), '2023-02-28');
  assert.equal(add('2024-02-29', 12), '2025-02-28');
  assert.equal(add('2024-03-31', -1), '2024-02-29');
  assert.equal(add('2024-12-15', 1), '2025-01-15');
  assert.equal(add('2024-01-15', -13), '2022-12-15');
});

test('age in full years; a 29 February birthday is reached on 1 March in common years', () => {
  const age = (b: string, at: string) => ageYears(parseDate(b), parseDate(at));
  assert.equal(age('2020-02-29', '2021-02-28'), 0);
  assert.equal(age('2020-02-29', '2021-03-01'), 1);
  assert.equal(age('2020-02-29', '2024-02-29'), 4);
  assert.equal(age('1959-06-30', '2024-06-30'), 65);
  assert.equal(age('1959-07-01', '2024-06-30'), 64);
  assert.equal(age('2025-01-01', '2024-06-30'), -1);
});

test('calendar day of an instant is taken at UTC+8', () => {
  assert.equal(formatDate(shanghaiDay(timestampMs('2024-02-29T15:59:59.999Z'))), '2024-02-29');
  assert.equal(formatDate(shanghaiDay(timestampMs('2024-02-29T16:00:00Z'))), '2024-03-01');
  assert.equal(timestampMs('2024-01-01 08:00:00+08'), Date.parse('2024-01-01T00:00:00Z'));
});

test('month arithmetic and ages agree with PostgreSQL for every day of 2023–2024', async () => {
  const rows = await db.query<{ d: string; n: number; plus: string }>(
    `SELECT d::date::text AS d, n, (d::date + make_interval(months => n))::date::text AS plus
       FROM generate_series(date '2023-01-01', date '2024-12-31', interval '1 day') d, unnest(ARRAY[-25, -13, -1, 1, 11, 12, 13, 48]) n`,
  );
  assert.equal(rows.length, 731 * 8);
  for (const r of rows) assert.equal(formatDate(addMonths(parseDate(r.d), r.n)), r.plus, `${r.d} + ${r.n} months`);
  // age at a fixed day for births on every day of a leap year and the year after.
  const at = ['2024-02-28', '2024-02-29', '2025-02-28', '2025-03-01'];
  const ages = await db.query<{ b: string; at: string; age: number }>(
    `SELECT b::date::text AS b, a AS at, extract(year from age(a::date, b::date))::int AS age
       FROM generate_series(date '2020-01-01', date '2021-12-31', interval '1 day') b, unnest($1::text[]) a`,
    [at],
  );
  for (const r of ages) assert.equal(ageYears(parseDate(r.b), parseDate(r.at)), r.age, `age of ${r.b} at ${r.at}`);
});
