/** The fields that changed, as audit before/after payloads (unchanged fields stay out of the log). */
export function changes<T extends object>(before: T, after: T, ignore: readonly string[] = ['updatedAt']): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const k of Object.keys(after) as (keyof T & string)[]) {
    if (ignore.includes(k)) continue;
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return { before: b, after: a };
}
