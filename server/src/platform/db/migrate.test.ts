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
  const rows = await db.query<{ version: number; checksum: string }>(
    "select version, checksum from schema_migration where module = 'test.mig' order by version",
  );
  assert.deepEqual(
    rows.map((r) => r.version),
    [1, 2],
  );
  assert.match(rows[0]!.checksum, /^[0-9a-f]{64}$/);
  await db.query("insert into mig_a (id, name) values (1, 'x')");
});

test('refuses to start when an applied migration was edited, naming the file', async () => {
  writeFileSync(join(dir, '001_first.sql'), 'create table mig_a (id int primary key, extra int);');
  await assert.rejects(
    () => migrate(db, [{ module: 'test.mig', dir }]),
    (e: Error) => e instanceof MigrationError && e.message.includes('test.mig/001_first.sql'),
  );
  writeFileSync(join(dir, '001_first.sql'), 'create table mig_a (id int primary key);');
});

test('a failing migration applies nothing of its batch', async () => {
  writeFileSync(join(dir, '003_ok.sql'), 'create table mig_b (id int);');
  writeFileSync(join(dir, '004_broken.sql'), 'create table mig_c (id int); select * from no_such_table;');
  await assert.rejects(() => migrate(db, [{ module: 'test.mig', dir }]));
  const t = await db.query<{ n: number }>("select count(*)::int as n from pg_tables where tablename in ('mig_b', 'mig_c')");
  assert.equal(t[0]!.n, 0);
  const v = await db.query<{ n: number }>("select count(*)::int as n from schema_migration where module = 'test.mig'");
  assert.equal(v[0]!.n, 2);
});

test('badly named files are refused with a clear message', async () => {
  const d2 = mkdtempSync(join(tmpdir(), 'wj-migrate-bad-'));
  writeFileSync(join(d2, 'first.sql'), 'select 1;');
  await assert.rejects(() => migrate(db, [{ module: 'test.bad', dir: d2 }]), /NNN_name\.sql/);
});

test('a migration file moved to another module unchanged is adopted: rows kept, records re-keyed, same end as a fresh database', async () => {
  const old = mkdtempSync(join(tmpdir(), 'wj-adopt-old-'));
  writeFileSync(join(old, '001_data.sql'), 'create table adopt_a (id int primary key);');
  writeFileSync(join(old, '002_rules.sql'), 'create table adopt_rule (id int primary key);');
  assert.equal(await migrate(db, [{ module: 'test.owner', dir: old }]), 2);
  await db.query('insert into adopt_a (id) values (7)');

  // 001 moves, unchanged, to a module of its own registered before the old owner
  const moved = mkdtempSync(join(tmpdir(), 'wj-adopt-new-'));
  const keep = mkdtempSync(join(tmpdir(), 'wj-adopt-keep-'));
  writeFileSync(join(moved, '001_data.sql'), 'create table adopt_a (id int primary key);');
  writeFileSync(join(moved, '002_more.sql'), 'alter table adopt_a add column note text;');
  writeFileSync(join(keep, '002_rules.sql'), 'create table adopt_rule (id int primary key);');
  const layout = [
    { module: 'test.data', dir: moved, adopts: [{ module: 'test.owner', version: 1, as: 1 }] },
    { module: 'test.owner', dir: keep },
  ];
  assert.equal(await migrate(db, layout), 1, 'only the new file runs');
  assert.deepEqual(await db.query('select id, note from adopt_a'), [{ id: 7, note: null }]);
  const records = async (d: Database) =>
    d.query<{ module: string; version: number; name: string; checksum: string }>(
      "select module, version, name, checksum from schema_migration where module in ('test.data', 'test.owner') order by module, version",
    );
  const upgraded = await records(db);
  assert.deepEqual(
    upgraded.map((r) => `${r.module}/${r.version}`),
    ['test.data/1', 'test.data/2', 'test.owner/2'],
  );
  assert.equal(await migrate(db, layout), 0, 'idempotent');

  // a fresh database with the new layout ends with the same records
  const fresh = await openTestDb({ fromTemplate: false });
  try {
    assert.equal(await migrate(fresh.db, layout), 3);
    assert.deepEqual(await records(fresh.db), upgraded);
  } finally {
    await fresh.drop();
  }

  // an adopted file edited afterwards is still refused, under its new name
  writeFileSync(join(moved, '001_data.sql'), 'create table adopt_a (id int primary key, x int);');
  await assert.rejects(
    () => migrate(db, layout),
    (e: Error) => e instanceof MigrationError && e.message.includes('test.data/001_data.sql'),
  );
});
