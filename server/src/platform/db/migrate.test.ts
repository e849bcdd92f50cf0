import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openTestDb } from '../../test/db.ts';
import type { Database } from './types.ts';
import { MigrationError, migrate } from './migrate.ts';

let db: Database;
let drop: () => Promise<void>;
const dir = mkdtempSync(join(tmpdir(), 'wj-migrate-'));

before(async () => {
  ({ db, drop } = await openTestDb({ fromTemplate: false }));
});
after(() => drop());

test('applies numbered files in order, records them, and is idempotent', async () => {
  writeFileSync(join(dir, '001_first.sql'), 'create table mig_a (id int primary key);');
  writeFileSync(join(dir, '002_second.sql'), 'alter table mig_a add column name text;');
  assert.equal(await migrate(db, [{ module: 'test.mig', dir }]), 2);
  assert.equal(await migrate(db, [{ module: 'test.mig', dir }]), 0);
  const rows = await db.query<{ version: number; checksum: string }>("select version, checksum from schema_migration where module = 'test.mig' order by version");
  assert.deepEqual(rows.map((r) => r.version), [1, 2]);
  assert.match(rows[0].checksum, /^[0-9a-f]{64}$/);
  await db.query("insert into mig_a (id, name) values (1, 'x')");
});

test('refuses to start when an applied migration was edited, naming the file', async () => {
  writeFileSync(join(dir, '001_first.sql'), 'create table mig_a (id int primary key, extra int);');
  await assert.rejects(() => migrate(db, [{ module: 'test.mig', dir }]), (e: Error) => e instanceof MigrationError && e.message.includes('test.mig/001_first.sql'));
  writeFileSync(join(dir, '001_first.sql'), 'create table mig_a (id int primary key);');
});

test('a failing migration applies nothing of its batch', async () => {
  writeFileSync(join(dir, '003_ok.sql'), 'create table mig_b (id int);');
  writeFileSync(join(dir, '004_broken.sql'), 'create table mig_c (id int); select * from no_such_table;');
  await assert.rejects(() => migrate(db, [{ module: 'test.mig', dir }]));
  const t = await db.query<{ n: number }>("select count(*)::int as n from pg_tables where tablename in ('mig_b', 'mig_c')");
  assert.equal(t[0].n, 0);
  const v = await db.query<{ n: number }>("select count(*)::int as n from schema_migration where module = 'test.mig'");
  assert.equal(v[0].n, 2);
});

test('badly named files are refused with a clear message', async () => {
  const d2 = mkdtempSync(join(tmpdir(), 'wj-migrate-bad-'));
  writeFileSync(join(d2, 'first.sql'), 'select 1;');
  await assert.rejects(() => migrate(db, [{ module: 'test.bad', dir: d2 }]), /NNN_name\.sql/);
});
