// The console's "today" is Shanghai's, whatever the browser's time zone (the server's counterpart is
// server/src/platform/util/dates.ts).
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export function todayInShanghai(now: number = Date.now()): string {
  return new Date(now + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
