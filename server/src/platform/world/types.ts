import type { Database } from '../db/types.ts';
import type { KeyRing } from '../crypto/keyring.ts';

/** A seeded pseudo-random source: the same seed gives the same world byte for byte. */
export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  chance(p: number): boolean;
}

export interface WorldContext {
  db: Database;
  keys: KeyRing;
  seed: number;
  residents: number;
  /** A generator for one stage, derived from the seed and the stage name (stages stay independent). */
  rng(stream: string): Rng;
  progress(label: string, done: number, total: number): void;
  /** Records a planted anomaly so detection accuracy can be measured later. */
  truth(stage: string, kind: string, objectType: string, objectId: string, detail?: unknown): Promise<void>;
}

/** A module's contribution to the demo world. Stages run in order (lower first). */
export interface WorldStage {
  name: string;
  order: number;
  title: string;
  run(ctx: WorldContext): Promise<void>;
}
