import type { KeyRing } from '../crypto/keyring.ts';
import type { Database } from '../db/types.ts';
import { SeededRng } from './rng.ts';
import type { WorldContext } from './types.ts';

export type ProgressFn = (label: string, done: number, total: number) => void;

export interface ContextOptions {
  seed: number;
  residents: number;
  asOf: string;
  onProgress?: ProgressFn;
}

const TRUTH_COLUMNS = ['stage', 'kind', 'object_type', 'object_id', 'detail'] as const;

/** A WorldContext plus `flush()`, which loads the buffered truth rows with COPY (the runner calls it after each stage). */
export function createWorldContext(db: Database, keys: KeyRing, opts: ContextOptions): WorldContext & { flush(): Promise<void> } {
  let pending: unknown[][] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const rows = pending;
    pending = [];
    await db.copyRows('world_truth', TRUTH_COLUMNS, rows);
  };
  return {
    db,
    keys,
    seed: opts.seed,
    residents: opts.residents,
    asOf: opts.asOf,
    rng: (stream) => new SeededRng(opts.seed, stream),
    progress: (label, done, total) => opts.onProgress?.(label, done, total),
    async truth(stage, kind, objectType, objectId, detail) {
      // Buffered until the stage ends: a stage may call this while its own COPY is streaming, and PGlite
      // has one connection (a second COPY would wait for the first forever).
      pending.push([stage, kind, objectType, objectId, detail === undefined ? null : JSON.stringify(detail)]);
    },
    flush,
  };
}
