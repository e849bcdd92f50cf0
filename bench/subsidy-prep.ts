// Prepares (or reuses) the subsidy bench world without running the bench: `node --import tsx bench/subsidy-prep.ts`.
import { benchKernel, DB_URL } from './subsidy-kernel.ts';
import { ensureSubsidyWorld } from './subsidy-world.ts';

const env = process.env;
const kernel = await benchKernel();
const r = await ensureSubsidyWorld(kernel.db, kernel.keys, {
  residents: Number(env.BENCH_SUBSIDY_RESIDENTS ?? 1_400_000),
  children: Number(env.BENCH_SUBSIDY_CHILDREN ?? 185_000),
  seed: 1,
  log: (m) => process.stdout.write(`[bench:subsidy] ${m}\n`),
});
process.stdout.write(`[bench:subsidy] ${DB_URL.replace(/:[^:@/]+@/, ':***@')}: ${r.children} children (generated in ${r.seconds ?? 'reused'} s)\n`);
await kernel.db.close();
