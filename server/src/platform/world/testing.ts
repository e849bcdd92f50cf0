import { allModules } from '../../modules.ts';
import { masterDataWorld } from '../../systems/common/master-data/world.ts';
import { residentIndexWorld } from '../../systems/common/resident-index/world.ts';
import { openTestDb } from '../../test/db.ts';
import { migrate } from '../db/migrate.ts';
import type { Database } from '../db/types.ts';
import type { WeijianModule } from '../module.ts';
import { worldModule } from './module.ts';
import type { WorldStage } from './types.ts';

/** The world stages of this repository (also before the modules register them in module.ts). */
export const WORLD_STAGES: readonly WorldStage[] = [masterDataWorld, residentIndexWorld];

/** The registry with the world module and every world stage attached to its module, for tests. */
export function worldTestModules(): WeijianModule[] {
  const attach: Record<string, WorldStage> = { 'common.master-data': masterDataWorld, 'common.resident-index': residentIndexWorld };
  const modules = allModules.map((m) => (attach[m.name] && !m.world ? { ...m, world: attach[m.name] } : m));
  return modules.some((m) => m.name === worldModule.name) ? modules : [...modules, worldModule];
}

/** A fresh test database with every migration applied, the world's included. */
export async function openWorldTestDb(): Promise<{ db: Database; drop: () => Promise<void> }> {
  const t = await openTestDb();
  const sources = worldTestModules()
    .filter((m) => m.migrations)
    .map((m) => ({ module: m.name, dir: m.migrations as string, adopts: m.adopts }));
  await migrate(t.db, sources);
  return t;
}
