import { kernelModules } from './platform/kernel-modules.ts';
import type { WeijianModule } from './platform/module.ts';
import { masterDataModule } from './systems/common/master-data/module.ts';
import { residentIndexModule } from './systems/common/resident-index/module.ts';

/**
 * The module registry: adding a business module means adding it here, and nowhere else in the kernel.
 * Order matters for migrations (a module may reference tables of modules above it).
 */
export const businessModules: readonly WeijianModule[] = [masterDataModule, residentIndexModule];

export const allModules: readonly WeijianModule[] = [...kernelModules, ...businessModules];
