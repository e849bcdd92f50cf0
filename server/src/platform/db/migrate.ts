import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ROLE } from './scope-sql.ts';
import type { Database } from './types.ts';

export interface MigrationSource {
  /** Module name: migrations are recorded per module. */
  module: string;
  /** Folder holding NNN_name.sql files. */
  dir: string;
  /** Files moved here from another module, unchanged (see AdoptedMigration). */
  adopts?: readonly AdoptedMigration[];
}

/**
 * A migration file that moved to this module from `module` (where it was `version`), its text unchanged, now
 * this module's `as`: a table changing owner (docs/architecture.md, "Module boundaries"). A database that
 * applied it under the old module has its record re-keyed instead of running it again — the checksum then
 * proves it is the same file — so an upgraded database and a fresh one end identical, rows kept.
 */
export interface AdoptedMigration {
  module: string;
  version: number;
  as: number;
}

export interface Migration {
  module: string;
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

const FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/;

export function readMigrations(src: MigrationSource): Migration[] {
  const files = readdirSync(src.dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return files.map((f) => {
    const m = FILE.exec(f);
    if (!m) throw new MigrationError(`迁移文件名不合规范（应为 NNN_name.sql）：${src.module}/${f}`);
    const sql = readFileSync(join(src.dir, f), 'utf8');
    return {
      module: src.module,
      version: Number(m[1]),
      name: m[2]!,
      sql,
      checksum: createHash('sm3').update(sql).digest('hex'),
    };
  });
}

const BOOTSTRAP = `
do $$ begin
  if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
    create role ${APP_ROLE} nologin;
  end if;
end $$;
create table if not exists schema_migration (
  module text not null,
  version int not null,
  name text not null,
  checksum text not null,
  applied_at timestamptz not null default now(),
  primary key (module, version)
);
`;

/**
 * Applies pending migrations in module order, each module's files in number order, all in one
 * transaction. Refuses to start when an applied file was edited afterwards.
 */
export async function migrate(db: Database, sources: MigrationSource[], log: (m: string) => void = () => {}): Promise<number> {
  await db.exec(BOOTSTRAP);
  const adopted = sources.flatMap((src) => (src.adopts ?? []).map((a) => ({ ...a, to: src.module })));
  if (adopted.length > 0) {
    await db.transaction(async (tx) => {
      for (const a of adopted) {
        await tx.query(
          `update schema_migration set module = $3, version = $4 where module = $1 and version = $2
             and not exists (select 1 from schema_migration where module = $3 and version = $4)`,
          [a.module, a.version, a.to, a.as],
        );
      }
    });
  }
  const all = sources.flatMap(readMigrations);
  const applied = await db.query<{ module: string; version: number; name: string; checksum: string }>(
    'select module, version, name, checksum from schema_migration',
  );
  const done = new Map(applied.map((a) => [`${a.module}/${a.version}`, a]));
  for (const m of all) {
    const a = done.get(`${m.module}/${m.version}`);
    if (a && a.checksum !== m.checksum) {
      throw new MigrationError(
        `已应用的迁移被修改：${m.module}/${String(m.version).padStart(3, '0')}_${m.name}.sql（校验和不一致）。请新增迁移文件，而不是修改已应用的文件。`,
      );
    }
  }
  const pending = all.filter((m) => !done.has(`${m.module}/${m.version}`));
  if (pending.length === 0) return 0;
  await db.transaction(async (tx) => {
    for (const m of pending) {
      log(`migrate ${m.module}/${m.version}_${m.name}`);
      await tx.exec(m.sql);
      await tx.query('insert into schema_migration (module, version, name, checksum) values ($1, $2, $3, $4)', [m.module, m.version, m.name, m.checksum]);
    }
    // The application role may use every table and sequence; row-level security does the scoping.
    await tx.exec(`
      grant usage on schema public to ${APP_ROLE};
      grant select, insert, update, delete on all tables in schema public to ${APP_ROLE};
      grant usage, select on all sequences in schema public to ${APP_ROLE};
      grant execute on all functions in schema public to ${APP_ROLE};
    `);
  });
  return pending.length;
}
