// The hospital data set changed owner (compliance → hospital-data) by moving four applied migration files
// unchanged. A database migrated with the old layout (a deployed data dir, a bench database) must boot with
// the new one, keep its rows and end identical to a fresh database.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrate } from '../../../platform/db/migrate.ts';
import type { Database } from '../../../platform/db/types.ts';
import { allModules } from '../../../modules.ts';
import { openTestDb } from '../../../test/db.ts';
import { complianceModule } from '../compliance/module.ts';
import { hospitalDataModule } from './module.ts';

const sources = (modules = allModules) => modules.filter((m) => m.migrations).map((m) => ({ module: m.name, dir: m.migrations as string, adopts: m.adopts }));

/** compliance's migrations folder as it was before the move: its own files plus the moved ones under their old numbers. */
function oldComplianceDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wj-old-compliance-'));
  for (const f of readdirSync(complianceModule.migrations as string)) copyFileSync(join(complianceModule.migrations as string, f), join(dir, f));
  const moved = readdirSync(hospitalDataModule.migrations as string);
  for (const a of hospitalDataModule.adopts ?? []) {
    const file = moved.find((f) => f.startsWith(`${String(a.as).padStart(3, '0')}_`)) as string;
    copyFileSync(join(hospitalDataModule.migrations as string, file), join(dir, `${String(a.version).padStart(3, '0')}${file.slice(3)}`));
  }
  return dir;
}

async function shape(db: Database) {
  const q = (sql: string) => db.query(sql);
  return {
    migrations: await q('select module, version, name, checksum from schema_migration order by module, version'),
    columns: await q(`select table_name, column_name, data_type, is_nullable, column_default, ordinal_position from information_schema.columns
      where table_schema = 'public' and table_name like 'hm\\_%' order by table_name, ordinal_position`),
    indexes: await q(`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' and tablename like 'hm\\_%' order by indexname`),
    triggers: await q(
      `select tgrelid::regclass::text as tbl, tgname from pg_trigger where not tgisinternal and tgrelid::regclass::text like 'hm\\_%' order by 1, 2`,
    ),
    policies: await q(`select tablename, policyname, qual from pg_policies where tablename like 'hm\\_%' order by policyname`),
  };
}

test('a database migrated before the move keeps its hospital data and ends identical to a fresh one', async () => {
  const before = allModules.filter((m) => m !== hospitalDataModule).map((m) => (m === complianceModule ? { ...m, migrations: oldComplianceDir() } : m));
  const upgraded = await openTestDb({ fromTemplate: false });
  const fresh = await openTestDb({ fromTemplate: false });
  try {
    await migrate(upgraded.db, sources(before));
    // a row of hospital data (parents left out: this checks the table survives, not the foreign keys)
    await upgraded.db.transaction(async (tx) => {
      await tx.query('set local session_replication_role = replica');
      await tx.query(`insert into hm_device (id, institution_id, district_code, device_code, name, device_class, registration_no, registration_valid_to, single_use, max_per_encounter)
        values (900001, 1, '310101', 'D1', '一次性使用输液器', 'II', '国械注准20240001', '2030-12-31', true, 1)`);
    });
    assert.equal(await migrate(upgraded.db, sources()), 0, 'nothing runs again: the moved files are re-keyed');
    assert.equal((await upgraded.db.query('select id from hm_device where id = 900001')).length, 1, 'rows kept');
    await migrate(fresh.db, sources());
    assert.deepEqual(await shape(upgraded.db), await shape(fresh.db));
    const [owner] = await fresh.db.query<{ n: number }>(`select count(*)::int as n from schema_migration where module = 'hospital-monitoring.hospital-data'`);
    assert.equal(owner?.n, 4);
  } finally {
    await upgraded.drop();
    await fresh.drop();
  }
});
