/**
 * Calendar arithmetic for the evaluator, matching PostgreSQL's: dates are whole days since
 * 1970-01-01 (proleptic Gregorian, integer maths — Date.UTC maps years 0–99 to 1900+), months clamp
 * to the month end, timestamps are epoch milliseconds and their calendar date is taken at UTC+8.
 */

const DAY_MS = 86_400_000;
/** Shanghai has kept UTC+8 without daylight saving since 1991; the SQL side uses the same fixed offset. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month, day] of a day number. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A valid 'YYYY-MM-DD' between 0001-01-01 and 9999-12-31. */
export function isDateString(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = +m[1]!;
  const mo = +m[2]!;
  const d = +m[3]!;
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** A timestamp literal with an explicit zone and at most millisecond precision. */
const TS_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

export function isTimestampString(s: unknown): s is string {
  return typeof s === 'string' && TS_RE.test(s) && !Number.isNaN(parseIso(s));
}

/** Date.parse for ISO strings, also in PostgreSQL's text form ('2024-01-01 10:00:00+08'). */
function parseIso(s: string): number {
  let t = s.length > 10 && s.charCodeAt(10) === 32 ? `${s.slice(0, 10)}T${s.slice(11)}` : s;
  if (/[+-]\d{2}$/.test(t)) t += ':00';
  return Date.parse(t);
}

/** 'YYYY-MM-DD' (the first ten characters of longer ISO strings) → day number. */
export function parseDate(s: string): number {
  const c = (i: number) => s.charCodeAt(i) - 48;
  if (s.length >= 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    const y = c(0) * 1000 + c(1) * 100 + c(2) * 10 + c(3);
    const m = c(5) * 10 + c(6);
    const d = c(8) * 10 + c(9);
    if (y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) return daysFromCivil(y, m, d);
  }
  throw new Error(`不是日期：${s}`);
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

export function formatDate(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** Date plus whole months, clamped to the last day of the target month (as PostgreSQL's interval). */
export function addMonths(day: number, months: number): number {
  const [y, m, d] = civilFromDays(day);
  const t = y * 12 + (m - 1) + months;
  const ny = Math.floor(t / 12);
  const nm = t - ny * 12 + 1;
  return daysFromCivil(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** Full years from birth to at: the year difference, less one if the birthday (month, day) is not reached. */
export function ageYears(birth: number, at: number): number {
  const [by, bm, bd] = civilFromDays(birth);
  const [ay, am, ad] = civilFromDays(at);
  return ay - by - (am * 100 + ad < bm * 100 + bd ? 1 : 0);
}

export function truncMonth(day: number): number {
  const [y, m] = civilFromDays(day);
  return daysFromCivil(y, m, 1);
}

export function truncYear(day: number): number {
  return daysFromCivil(civilFromDays(day)[0], 1, 1);
}

/** Calendar day (UTC+8) of an instant. */
export function shanghaiDay(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** Today's date in Shanghai: the one definition lives in platform/util/dates. */
export { todayInShanghai } from '../util/dates.ts';

/** Epoch ms of a timestamp given as Date, ISO string or ms. */
export function timestampMs(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const ms = parseIso(v);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new Error(`不是时间戳：${String(v)}`);
}

/** Day number of a date given as 'YYYY-MM-DD' or as a Date (taken at UTC+8). */
export function dateDay(v: unknown): number {
  if (typeof v === 'string') return parseDate(v);
  if (v instanceof Date) return shanghaiDay(v.getTime());
  throw new Error(`不是日期：${String(v)}`);
}
