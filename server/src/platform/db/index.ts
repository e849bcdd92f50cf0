import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import type { Database } from './types.ts';

export { and, or, Sql, sql, type SqlPart, where } from './sql.ts';
export { first, one } from './rows.ts';
export type { Database, Queryable, Row, Tx, TxOptions, ScopeSettings } from './types.ts';

export interface DbConfig {
  databaseUrl?: string;
  /** PGlite data directory; null = in memory (tests). */
  dataDir: string | null;
  poolSize?: number;
}

export async function openDatabase(cfg: DbConfig): Promise<Database> {
  if (cfg.databaseUrl) return openPostgres(cfg.databaseUrl, cfg.poolSize);
  return openPglite(cfg.dataDir);
}
