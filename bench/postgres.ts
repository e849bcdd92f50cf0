// What every PostgreSQL bench needs before it starts: the local cluster running (started once if it is
// not), its bench database present (created empty, or as a copy of another bench database), a free port.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import pg from 'pg';

const NAME = /^[a-z_][a-z0-9_]*$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Creates the database of `url` if missing — empty, or as a copy of the database named `template` (which must
 * be idle). Starts the local Debian cluster (postgres/postgres) once if the server does not answer.
 */
export async function ensureBenchDatabase(url: string, opts: { template?: string; log?: (m: string) => void } = {}): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  if (!NAME.test(name) || (opts.template !== undefined && !NAME.test(opts.template))) throw new Error(`bad database name ${name}`);
  u.pathname = '/postgres';
  for (let i = 0; i < 2; i++) {
    let c: pg.Client | undefined;
    try {
      c = new pg.Client({ connectionString: u.toString() });
      await c.connect();
    } catch (e) {
      if (i > 0) throw e;
      opts.log?.('PostgreSQL not reachable: starting the local cluster (pg_ctlcluster 15 main start)');
      spawnSync('pg_ctlcluster', ['15', 'main', 'start'], { stdio: 'inherit' });
      spawnSync('runuser', ['-u', 'postgres', '--', 'psql', '-qc', "alter user postgres password 'postgres'"], { stdio: 'inherit' });
      await sleep(2000);
      continue;
    }
    try {
      if ((await c.query('select 1 from pg_database where datname = $1', [name])).rowCount) return;
      if (opts.template) opts.log?.(`creating ${name} as a copy of ${opts.template}`);
      await c.query(opts.template ? `create database ${name} template ${opts.template}` : `create database ${name}`);
      return;
    } finally {
      await c.end();
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}
