import { generateWorld } from '../../../platform/world/runner.ts';
import { masterDataWorld } from '../../common/master-data/world.ts';
import { residentIndexWorld } from '../../common/resident-index/world.ts';
import { birthsWorld } from '../birth-verification/world.ts';
import type { TestApp } from '../../../test/harness.ts';

/** A demo world with births, for the subsidy tests (as of the world's fixed date). */
export const WORLD_AS_OF = '2026-09-30';
export async function worldWithBirths(t: TestApp, residents = 20_000, seed = 7): Promise<void> {
  await generateWorld(t.kernel.db, t.kernel.keys, {
    seed,
    residents,
    stages: [masterDataWorld, residentIndexWorld, birthsWorld],
    asOf: WORLD_AS_OF,
    digest: false,
  });
}
