import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { openPglite } from '../platform/db/pglite.ts';
import { openPostgres } from '../platform/db/postgres.ts';
import type { Database } from '../platform/db/types.ts';

/** Where the migrated PGlite template is dumped once per test run (scripts/test-setup.ts). */
export const PGLITE_TEMPLATE = process.env.WEIJIAN_TEST_TEMPLATE ?? 'tmp/test-template.tar.gz';
export const PG_TEMPLATE_DB = process.env.WEIJIAN_TEST_TEMPLATE_DB ?? 'weijian_test_template';

export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

let counter = 0;

/**
 * A fresh, empty-of-data database for one test file: an in-memory PGlite, or, when TEST_DATABASE_URL
 * is set, a new database on that PostgreSQL server (cloned from the migrated template when it exists).
 */
export async function openTestDb(opts: { fromTemplate?: boolean } = {}): Promise<{ db: Database; drop: () => Promise<void>; url?: string }> {
  const fromTemplate = opts.fromTemplate ?? true;
  const url = testDatabaseUrl();
  if (!url) {
    if (fromTemplate && existsSync(PGLITE_TEMPLATE)) {
      const db = await openPglite(null, new Blob([readFileSync(PGLITE_TEMPLATE)]));
      return { db, drop: () => db.close() };
    }
    const db = await openPglite(null);
    return { db, drop: () => db.close() };
  }
  // WEIJIAN_TEST_DB_PREFIX: several runs sharing one PostgreSQL server keep to their own databases.
  const name = `${process.env.WEIJIAN_TEST_DB_PREFIX ?? 'weijian_t_'}${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const hasTemplate = fromTemplate && (await admin.query('select 1 from pg_database where datname = $1', [PG_TEMPLATE_DB])).rowCount;
  await admin.query(`create database ${name}${hasTemplate ? ` template ${PG_TEMPLATE_DB}` : ''}`);
  await admin.end();
  const db = await openPostgres(withDb(url, name), 10);
  return {
    db,
    // For a child process that opens the same database (platform/jobs interrupted-run test).
    url: withDb(url, name),
    drop: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export { withDb };
