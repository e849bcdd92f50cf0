import type { RoleCode } from './auth/roles.ts';
import type { SealedColumn, UnsourcedBlindIndex } from './crypto/sealed-columns.ts';
import type { AnyRoute } from './http/route.ts';
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
  /** Runs after migrations on every start (e.g. built-in reference rows). Must be idempotent. */
  onStart?: (kernel: Kernel) => Promise<void>;
}

export function defineModule(m: WeijianModule): WeijianModule {
  return m;
}
