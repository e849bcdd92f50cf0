// Reading the untidy fields outside systems send (the data platform's marriage and household records).

/** Full-width digits and letters to ASCII, whitespace removed: how the platform's untidy fields are read. */
export function clean(v: unknown): string {
  return String(v ?? '')
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]+/g, '')
    .trim();
}

/** YYYY-MM-DD from YYYYMMDD, YYYY-MM-DD, YYYY/MM/DD; null when it is not a real date. */
export function dateOf(v: unknown): string | null {
  const m = /^(\d{4})\D?(\d{1,2})\D?(\d{1,2})$/.exec(clean(v));
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}
