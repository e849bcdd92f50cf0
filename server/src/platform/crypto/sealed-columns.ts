// Which columns hold key-ring tokens (encryptField) and blind indexes (blindIndex), declared by the
// modules that own them (WeijianModule.sealed / blindIndexes). Key rotation re-seals the declared
// columns (reseal.ts) and rebuilds the declared blind indexes from their sealed source; the census test
// (sealed-columns.test.ts) fails when a table has a *_enc / *_bi column nobody declared.
import type { WeijianModule } from '../module.ts';

export interface SealedColumn {
  /** Table with an `id` primary key. */
  table: string;
  /** Holds `v1.<kid>.<…>` tokens (or null). */
  column: string;
  /** The blind index of the same plaintext, e.g. { column: 'id_number_bi', domain: 'person.id_number' }. */
  blindIndex?: { column: string; domain: string };
}

/** A blind index with no sealed source in its row (a value received from outside and only matched): cannot be rebuilt. */
export interface UnsourcedBlindIndex {
  table: string;
  column: string;
  domain: string;
}

// The kernel's own sealed columns (platform/auth: TOTP secrets, partner API client secrets).
const KERNEL_SEALED: readonly SealedColumn[] = [
  { table: 'app_user', column: 'totp_secret' },
  { table: 'api_client', column: 'secret' },
];

export function sealedColumns(modules: readonly WeijianModule[]): SealedColumn[] {
  return [...KERNEL_SEALED, ...modules.flatMap((m) => m.sealed ?? [])];
}

export function unsourcedBlindIndexes(modules: readonly WeijianModule[]): UnsourcedBlindIndex[] {
  return modules.flatMap((m) => m.blindIndexes ?? []);
}
