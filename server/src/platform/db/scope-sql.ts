import { sql } from './sql.ts';
import type { ScopeSettings } from './types.ts';

/** The statement that opens a scoped transaction: role without RLS bypass + the caller's scope. */
export function scopeStatements(scope: ScopeSettings): { text: string; params: unknown[] } {
  const sets = Object.keys(scope)
    .sort()
    .map((k) => {
      if (!/^weijian\.[a-z_]+$/.test(k)) throw new Error(`bad scope key ${k}`);
      return sql`set_config(${sql.raw(`'${k}'`)}, ${scope[k] ?? ''}, true)`;
    });
  const c = sql`select ${sql.join([sql`1`, ...sets])}`.compile();
  return { text: c.text, params: c.values };
}

export const APP_ROLE = 'weijian_app';

/** The same settings as one statement with quoted literals, for a multi-statement batch. */
export function scopeBatch(scope: ScopeSettings): string {
  const q = (v: string) => `'${v.replaceAll("'", "''")}'`;
  const sets = Object.keys(scope)
    .sort()
    .map((k) => {
      if (!/^weijian\.[a-z_]+$/.test(k)) throw new Error(`bad scope key ${k}`);
      return `set_config('${k}', ${q(scope[k] ?? '')}, true)`;
    });
  return `select ${sets.join(', ')}`;
}
