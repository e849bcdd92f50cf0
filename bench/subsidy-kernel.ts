// The subsidy bench's kernel: every module over its own PostgreSQL database (created if missing; the
// local cluster is started if needed), migrations applied, a persistent key ring in BENCH_DATA_DIR.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { loadConfig } from '../server/src/platform/config.ts';
import { type Kernel, startKernel } from '../server/src/platform/kernel.ts';
import { allModules } from '../server/src/modules.ts';

export const DB_URL = process.env.BENCH_SUBSIDY_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/weijian_bench_subsidy';
export const DATA_DIR = process.env.BENCH_DATA_DIR ?? 'tmp/bench-subsidy';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function ensureDatabase(): Promise<void> {
  const u = new URL(DB_URL);
  const name = u.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  u.pathname = '/postgres';
  for (let i = 0; i < 2; i++) {
    try {
      const c = new pg.Client({ connectionString: u.toString() });
      await c.connect();
      const has = await c.query('select 1 from pg_database where datname = $1', [name]);
      if (!has.rowCount) await c.query(`create database ${name}`);
      await c.end();
      return;
    } catch (e) {
      if (i > 0) throw e;
      spawnSync('pg_ctlcluster', ['15', 'main', 'start'], { stdio: 'inherit' });
      await sleep(2000);
    }
  }
}

export async function benchKernel(): Promise<Kernel> {
  await ensureDatabase();
  mkdirSync(DATA_DIR, { recursive: true });
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: DB_URL, WEIJIAN_DATA_DIR: DATA_DIR, NODE_ENV: 'development', LOG_LEVEL: 'warn' }), demo: false, jobs: false };
  return startKernel(config, allModules);
}
