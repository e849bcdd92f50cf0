// The subsidy bench's world: residents and master data as the demo world makes them, then the births
// stage asked for a birth count of its own (BENCH_SUBSIDY_CHILDREN, default 185,000). The births stage
// sizes itself from the resident count (≈ 100,000 births a year for 24.9 million people), which would
// need an 11-million-resident world for 180,000 children; here the stage sees a scaled resident count
// while the mothers and fathers come from a world that generates in a few minutes.
import type { Database } from '../server/src/platform/db/types.ts';
import type { KeyRing } from '../server/src/platform/crypto/keyring.ts';
import { generateWorld, readWorldMeta } from '../server/src/platform/world/runner.ts';
import type { WorldStage } from '../server/src/platform/world/types.ts';
import { masterDataWorld } from '../server/src/systems/common/master-data/world.ts';
import { residentIndexWorld } from '../server/src/systems/common/resident-index/world.ts';
import { BIRTHS_PER_PERSON_YEAR, birthsWorld } from '../server/src/systems/family-planning/birth-verification/world.ts';

export const WORLD_AS_OF = '2026-09-30';

/** The births stage, sized for `children` births in the 4-year window whatever the resident count. */
export function scaledBirths(children: number): WorldStage {
  const residents = Math.ceil(children / (BIRTHS_PER_PERSON_YEAR * 4));
  return { ...birthsWorld, run: (ctx) => birthsWorld.run(Object.assign(Object.create(ctx), { residents })) };
}

export async function childrenInWorld(db: Database): Promise<number> {
  const r = (await db.query<{ ok: boolean }>("select to_regclass('fp_birth_record') is not null as ok"))[0]!;
  if (!r.ok) return 0;
  const n = (await db.query<{ n: number }>('select count(distinct child_person_id)::int as n from fp_birth_record'))[0]!;
  return n.n;
}

/** Reuses a ready world with enough children, else generates one (erasing the bench database's world). */
export async function ensureSubsidyWorld(
  db: Database,
  keys: KeyRing,
  opts: { residents: number; children: number; seed: number; log: (m: string) => void },
): Promise<{ seconds: number | null; children: number }> {
  const meta = await readWorldMeta(db);
  const have = await childrenInWorld(db);
  if (meta?.status === 'ready' && have >= opts.children * 0.97) return { seconds: null, children: have };
  opts.log(`generating the subsidy world: ${opts.residents} residents, about ${opts.children} children …`);
  const t = Date.now();
  let last = 0;
  await generateWorld(db, keys, {
    seed: opts.seed,
    residents: opts.residents,
    stages: [masterDataWorld, residentIndexWorld, scaledBirths(opts.children)],
    asOf: WORLD_AS_OF,
    force: true,
    digest: false,
    onProgress: (label, done, total) => {
      if (Date.now() - last > 10_000 || done === total) {
        last = Date.now();
        opts.log(`  ${label} ${done}/${total}`);
      }
    },
  });
  return { seconds: (Date.now() - t) / 1000, children: await childrenInWorld(db) };
}
