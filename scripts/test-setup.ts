// Builds the migrated database template once per test run, so each test file starts from it
// instead of running every migration again: a PGlite dump (tmp/test-template.tar.gz) and, when
// TEST_DATABASE_URL is set, a PostgreSQL template database.
import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { allModules } from '../server/src/modules.ts';
import { loadConfig } from '../server/src/platform/config.ts';
import { KeyRing } from '../server/src/platform/crypto/keyring.ts';
import { openPglite } from '../server/src/platform/db/pglite.ts';
import { openPostgres } from '../server/src/platform/db/postgres.ts';
import { startKernel } from '../server/src/platform/kernel.ts';
import { PG_TEMPLATE_DB, PGLITE_TEMPLATE, testDatabaseUrl, withDb } from '../server/src/test/db.ts';

const config = { ...loadConfig({ NODE_ENV: 'test' }), demo: false, jobs: false };
const url = testDatabaseUrl();

if (url) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  // Leftovers of earlier runs (killed test processes) would otherwise pile up.
  const old = await admin.query(`select datname from pg_database where datname like 'weijian_t_%' or datname = $1`, [PG_TEMPLATE_DB]);
  for (const r of old.rows) await admin.query(`drop database if exists ${r.datname} with (force)`);
  await admin.query(`create database ${PG_TEMPLATE_DB}`);
  await admin.end();
  const db = await openPostgres(withDb(url, PG_TEMPLATE_DB), 2);
  await startKernel(config, allModules, { db, keys: KeyRing.generate() });
  await db.close();
  process.stdout.write(`test template database ${PG_TEMPLATE_DB} ready\n`);
} else {
  const db = await openPglite(null);
  await startKernel(config, allModules, { db, keys: KeyRing.generate() });
  const dump = await (db as unknown as { dump(): Promise<Blob> }).dump();
  mkdirSync('tmp', { recursive: true });
  writeFileSync(PGLITE_TEMPLATE, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  process.stdout.write(`test template ${PGLITE_TEMPLATE} ready\n`);
}
