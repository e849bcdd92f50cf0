import { defineModule } from '../module.ts';

/** The demo world's own tables (world_meta, world_truth); the stages live with the modules they fill. */
export const worldModule = defineModule({
  name: 'platform.world',
  title: '演示世界',
  system: 'platform',
  migrations: new URL('./migrations', import.meta.url).pathname,
});
