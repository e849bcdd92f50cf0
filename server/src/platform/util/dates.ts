// The one notion of "today" and of age. The commission works in Shanghai (UTC+8, no daylight saving):
// a calendar date is always the Shanghai date, whatever the server's or the browser's time zone. Every
// database connection runs with TimeZone = 'Asia/Shanghai' (platform/db), so `current_date` and
// `timestamptz::date` agree with todayInShanghai().

const DAY_MS = 86_400_000;
/** Shanghai has kept UTC+8 all year since 1991. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
export const SHANGHAI_TZ = 'Asia/Shanghai';

/** The Shanghai calendar date ('YYYY-MM-DD') of an instant. */
export function shanghaiDate(at: Date | number | string): string {
  const ms = typeof at === 'number' ? at : new Date(at).getTime();
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Today's date in Shanghai, 'YYYY-MM-DD'. `now` for tests and for a fixed reference instant. */
export function todayInShanghai(now: Date | number = Date.now()): string {
  return shanghaiDate(now);
}

/** Shanghai wall-clock 'YYYY-MM-DD HH:mm' of an instant (messages shown to people). */
export function shanghaiDateTime(at: Date | number | string): string {
  const ms = typeof at === 'number' ? at : new Date(at).getTime();
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The instant a Shanghai calendar day begins (00:00 +08:00). */
export function shanghaiDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

/** A calendar date plus n days (negative: minus). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * 周岁: full years from `birth` to the calendar date `on` (both 'YYYY-MM-DD'); the birthday itself counts as
 * reached. Someone born on 29 February turns a year older on 1 March in common years. Never negative.
 */
export function ageOn(birth: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return Math.max(0, on.slice(5) < birth.slice(5) ? years - 1 : years);
}

/** 周岁 today in Shanghai. */
export function ageToday(birth: string, now: Date | number = Date.now()): number {
  return ageOn(birth, todayInShanghai(now));
}
