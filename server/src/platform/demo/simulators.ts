import type { KeyRing } from '../crypto/keyring.ts';
import { SIMULATORS } from '../integration/simulators/catalog.ts';
import { type Simulator, startSimulator } from '../integration/simulators/simulator.ts';
import type { Adapter } from '../integration/adapter.ts';
import { envPrefix, outsideSystem } from '../integration/systems.ts';

export interface DemoSimulators {
  /** The systems now answered in-process, with their URLs. */
  readonly started: readonly { system: string; title: string; url: string }[];
  /** Systems whose WEIJIAN_<SYSTEM>_URL was set: left to that address. */
  readonly configured: readonly string[];
  stop(): Promise<void>;
}

/**
 * Demo mode (never production): every outside system without a configured WEIJIAN_<SYSTEM>_URL is answered
 * by its built-in simulator, started in this process on a free port, and the adapter is pointed at it
 * (the variable is set for this process); adapters of systems without a simulator of their own (e.g. the
 * generic-inbox fd-combination) go to the generic simulator. A demo user then sees messages delivered and replies coming back,
 * never a refused connection to a simulator nobody started. WEIJIAN_DEMO_SIMULATORS=false leaves the
 * addresses alone (e.g. to use `npm run simulators` on ports 4100+).
 */
export async function startDemoSimulators(opts: {
  env?: NodeJS.ProcessEnv;
  keys: Pick<KeyRing, 'sm2PublicKey'>;
  production: boolean;
  log?: (msg: string) => void /** kernel.adapters.list() */;
  adapters: readonly Adapter[];
}): Promise<DemoSimulators> {
  const env = opts.env ?? process.env;
  const running: Simulator[] = [];
  const started: { system: string; title: string; url: string }[] = [];
  const configured: string[] = [];
  const stop = async () => {
    await Promise.all(running.map((s) => s.stop()));
    running.length = 0;
  };
  if (opts.production || /^(false|0|no|off)$/i.test(env.WEIJIAN_DEMO_SIMULATORS ?? '')) return { started, configured, stop };
  // The generic simulator answers the adapters of systems that have no simulator of their own.
  const generic = opts.adapters.map((a) => a.system).filter((system) => !outsideSystem(system));
  for (const def of SIMULATORS) {
    const systems = def.system === 'generic' ? generic : [def.system];
    const keys = systems.map((system) => `${envPrefix(system)}URL`);
    configured.push(...systems.filter((_, i) => env[keys[i]!]));
    const open = keys.filter((k) => !env[k]);
    if (open.length === 0) continue;
    try {
      const sim = await startSimulator(def, { port: 0, sm2PublicKey: opts.keys.sm2PublicKey });
      running.push(sim);
      for (const k of open) env[k] = sim.url;
      started.push({ system: def.system, title: def.title, url: sim.url });
    } catch (e) {
      opts.log?.(`${def.title} 模拟器未能启动（${(e as Error).message}）：请设置 ${open.join('、')} 指向对接地址`);
    }
  }
  return { started, configured, stop };
}
