import type { RoleCode } from './auth/roles.ts';
import type { ScopeLocator } from './auth/scope-directory.ts';
import type { ScopeNameSource } from './auth/scope-label.ts';
import type { SealedColumn, UnsourcedBlindIndex } from './crypto/sealed-columns.ts';
import type { EventDef, Subscription } from './events/types.ts';
import type { AnyRoute } from './http/route.ts';
import type { AdoptedMigration } from './db/migrate.ts';
import type { Adapter } from './integration/adapter.ts';
import type { JobDef } from './jobs/types.ts';
import type { Kernel } from './kernel.ts';
import type { WorldStage } from './world/types.ts';

export type SystemCode = 'platform' | 'hospital-monitoring' | 'health-network' | 'family-planning';

export const SYSTEMS: Record<SystemCode, string> = {
  platform: '系统管理',
  'hospital-monitoring': '医院评审与监测',
  'health-network': '健康信息网',
  'family-planning': '计划生育',
};

export interface PermissionDef {
  code: string;
  title: string;
  /** Roles that hold it. */
  roles: readonly RoleCode[];
}

export interface MenuItem {
  /** Web route, e.g. '/platform/residents'. */
  path: string;
  title: string;
  /** Shown only to holders of this permission. */
  permission: string;
  icon?: string;
  order?: number;
}

/** One business (or kernel) module: everything it adds to the platform, declared in one object. */
export interface WeijianModule {
  name: string;
  title: string;
  system: SystemCode;
  /** Absolute folder of NNN_name.sql files. */
  migrations?: string;
  /** Migration files moved here from another module unchanged: re-keyed, not re-run, on a database that has them. */
  adopts?: AdoptedMigration[];
  permissions?: PermissionDef[];
  routes?: AnyRoute[];
  menu?: MenuItem[];
  jobs?: JobDef[];
  /**
   * The outside systems this module sends to or reads from (defineAdapter); the kernel's registry
   * (kernel.adapters) is built from these at boot. A shared adapter (integration/adapters/) may be
   * declared by every module that uses it.
   */
  adapters?: Adapter[];
  world?: WorldStage;
  /** Columns holding key-ring tokens (and their blind indexes): re-sealed after `weijian keys rotate`. */
  sealed?: SealedColumn[];
  /** Blind indexes without a sealed source in their row (see platform/crypto/sealed-columns.ts). */
  blindIndexes?: UnsourcedBlindIndex[];
  /**
   * Database objects (tables, views, functions) of this module that other modules may name in their SQL:
   * read a table or view, call a function. Everything else its migrations create is private, and no other
   * module ever writes this module's objects (see docs/architecture.md, "Module boundaries").
   */
  exports?: readonly string[];
  /** Events this module announces with publishEvent (platform/events); other modules may subscribe. */
  publishes?: EventDef[];
  /** Another module's event → one of this module's jobs, queued in the publisher's transaction. */
  subscribes?: Subscription[];
  /** Names for scope labels (the module owning regions, institutions, teams and doctors: master data). */
  scopeNames?: ScopeNameSource;
  /** Where an institution, team or doctor sits, to check and complete a user's scope (master data). */
  scopeLocator?: ScopeLocator;
  /** Runs after migrations on every start (e.g. built-in reference rows). Must be idempotent. */
  onStart?: (kernel: Kernel) => Promise<void>;
}

export function defineModule(m: WeijianModule): WeijianModule {
  return m;
}
