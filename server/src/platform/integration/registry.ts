// The adapter registry of one kernel: built at boot from what the modules declare
// (defineModule({ adapters: [...] })), never filled by an import's side effect.
import type { Adapter } from './adapter.ts';

interface Declaring {
  name: string;
  adapters?: readonly Adapter[];
}

export class AdapterRegistry {
  readonly #bySystem = new Map<string, Adapter>();

  /**
   * One adapter per system. Several modules may declare the same adapter object (a shared one from
   * integration/adapters/, e.g. the SMS gateway); two different adapters for one system are refused.
   */
  constructor(modules: readonly Declaring[] = []) {
    const declaredBy = new Map<string, string>();
    for (const m of modules) {
      for (const a of m.adapters ?? []) {
        const had = this.#bySystem.get(a.system);
        if (had && had !== a) throw new Error(`adapter for ${a.system} declared twice, differently: ${declaredBy.get(a.system)} and ${m.name}`);
        this.#bySystem.set(a.system, a);
        declaredBy.set(a.system, m.name);
      }
    }
  }

  get(system: string): Adapter | undefined {
    return this.#bySystem.get(system);
  }

  list(): Adapter[] {
    return [...this.#bySystem.values()];
  }

  /**
   * Tests: puts an adapter in for its system (one pointed at a simulator, or a system of the test's
   * own) in this kernel only; the returned function puts back what was there before.
   */
  use(adapter: Adapter): () => void {
    const before = this.#bySystem.get(adapter.system);
    this.#bySystem.set(adapter.system, adapter);
    return () => {
      if (this.#bySystem.get(adapter.system) !== adapter) return;
      if (before) this.#bySystem.set(adapter.system, before);
      else this.#bySystem.delete(adapter.system);
    };
  }
}
