import { join } from 'node:path';
import pino from 'pino';
import type { Config } from './config.ts';
import { type KeyRing, loadKeyRing } from './crypto/keyring.ts';
import { openDatabase } from './db/index.ts';
import { migrate } from './db/migrate.ts';
import type { Database } from './db/types.ts';
import type { AnyRoute } from './http/route.ts';
import { AdapterRegistry } from './integration/registry.ts';
import type { PermissionDef, WeijianModule } from './module.ts';
import { redactPaths } from './http/redact.ts';

export type Logger = pino.Logger;

export interface Kernel {
  config: Config;
  db: Database;
  keys: KeyRing;
  log: Logger;
  /** Kernel modules first, then business modules, in registry order. */
  modules: readonly WeijianModule[];
  permissions: readonly PermissionDef[];
  permissionsOf(role: string): ReadonlySet<string>;
  routes: readonly { module: WeijianModule; route: AnyRoute }[];
  /** The outside systems' adapters, from the modules' `adapters`. */
  adapters: AdapterRegistry;
  /** Filled by platform/jobs when the scheduler runs in this process. */
  services: Record<string, unknown>;
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, redact: { paths: redactPaths, censor: '[已脱敏]' } });
}

export interface StartOptions {
  /** Reuse an open database (tests). */
  db?: Database;
  keys?: KeyRing;
  log?: Logger;
}

/** boot: config → db → migrations → module registry; HTTP and jobs are started by the caller. */
export async function startKernel(config: Config, modules: readonly WeijianModule[], opts: StartOptions = {}): Promise<Kernel> {
  const log = opts.log ?? createLogger(config);
  const names = new Set<string>();
  for (const m of modules) {
    if (names.has(m.name)) throw new Error(`module registered twice: ${m.name}`);
    names.add(m.name);
  }
  const adapters = new AdapterRegistry(modules);
  const db = opts.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pg'), poolSize: config.dbPoolSize }));
  const applied = await migrate(
    db,
    modules.filter((m) => m.migrations).map((m) => ({ module: m.name, dir: m.migrations as string, adopts: m.adopts })),
    (msg) => log.info(msg),
  );
  if (applied) log.info({ applied }, 'migrations applied');
  const keys = opts.keys ?? loadKeyRing({ env: config.keys, file: join(config.dataDir, 'keys.json'), allowGenerate: config.env !== 'production' });

  const permissions = modules.flatMap((m) => m.permissions ?? []);
  const byRole = new Map<string, Set<string>>();
  for (const p of permissions) {
    for (const r of p.roles) {
      if (!byRole.has(r)) byRole.set(r, new Set());
      byRole.get(r)?.add(p.code);
    }
  }
  const empty = new Set<string>();
  const kernel: Kernel = {
    config,
    db,
    keys,
    log,
    modules,
    permissions,
    permissionsOf: (role) => byRole.get(role) ?? empty,
    routes: modules.flatMap((m) => (m.routes ?? []).map((route) => ({ module: m, route }))),
    adapters,
    services: {},
  };
  for (const m of modules) if (m.onStart) await m.onStart(kernel);
  return kernel;
}
