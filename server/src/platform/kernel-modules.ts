import { auditModule } from './audit/module.ts';
import { authModule } from './auth/module.ts';
import { eventsModule } from './events/module.ts';
import { keysModule } from './crypto/module.ts';
import { integrationModule } from './integration/module.ts';
import { jobsModule } from './jobs/module.ts';
import type { WeijianModule } from './module.ts';
import { scopeModule } from './scope/module.ts';
import { worldModule } from './world/module.ts';
import { notificationsModule } from './notifications/module.ts';
import { systemModule } from './system/module.ts';

/** The kernel's own modules: registered before every business module. */
export const kernelModules: readonly WeijianModule[] = [
  scopeModule,
  authModule,
  systemModule,
  auditModule,
  jobsModule,
  eventsModule,
  worldModule,
  integrationModule,
  notificationsModule,
  keysModule,
];
