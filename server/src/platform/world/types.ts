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
  /** The world's "today" (YYYY-MM-DD): fixed, so ages and dates do not depend on the wall clock. */
  asOf: string;
  /** A generator for one stage, derived from the seed and the stage name (stages stay independent). */
  rng(stream: string): Rng;
  progress(label: string, done: number, total: number): void;
  /** Records a planted anomaly so detection accuracy can be measured later. */
  truth(stage: string, kind: string, objectType: string, objectId: string, detail?: unknown): Promise<void>;
}

/**
 * A table a stage fills. The runner uses it to reset the world (`--force`) and to compute the world
 * digest over the plaintext (sealed columns are decrypted, blind indexes and timestamps left out).
 */
export interface WorldTable {
  table: string;
  /** Canonical order for the digest: must be unique per row, e.g. 'id' or 'team_id, practitioner_id'. */
  orderBy: string;
  /** Columns digested, in this order. Leave out per-install values (blind indexes, created_at). */
  columns: readonly string[];
  /** Columns holding key-ring tokens (encryptField): digested as their plaintext. */
  sealed?: readonly string[];
  /** Which rows belong to the world (e.g. "source = 'world'"); default all rows (reset = truncate). */
  where?: string;
}

/** A module's contribution to the demo world. Stages run in order (lower first). */
export interface WorldStage {
  name: string;
  order: number;
  title: string;
  run(ctx: WorldContext): Promise<void>;
  /** Tables the stage fills, parents before children (reset goes in reverse). */
  tables?: readonly WorldTable[];
  /**
   * Tables filled from the stage's tables by triggers (e.g. a mirror schema): not digested, but erased
   * with the world (TRUNCATE fires no row trigger, so they would otherwise keep rows of a world that is gone).
   */
  derived?: readonly string[];
}
