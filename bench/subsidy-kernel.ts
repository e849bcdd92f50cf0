import { mkdirSync } from 'node:fs';
import { loadConfig } from '../server/src/platform/config.ts';
import { type Kernel, startKernel } from '../server/src/platform/kernel.ts';
import { allModules } from '../server/src/modules.ts';
import { ensureBenchDatabase } from './postgres.ts';

export const DB_URL = process.env.BENCH_SUBSIDY_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/weijian_bench_subsidy';
export const DATA_DIR = process.env.BENCH_DATA_DIR ?? 'tmp/bench-subsidy';

export const ensureDatabase = () => ensureBenchDatabase(DB_URL);

export async function benchKernel(): Promise<Kernel> {
  await ensureDatabase();
  mkdirSync(DATA_DIR, { recursive: true });
  const config = {
    ...loadConfig({ ...process.env, DATABASE_URL: DB_URL, WEIJIAN_DATA_DIR: DATA_DIR, NODE_ENV: 'development', LOG_LEVEL: 'warn' }),
    demo: false,
    jobs: false,
  };
  return startKernel(config, allModules);
}
