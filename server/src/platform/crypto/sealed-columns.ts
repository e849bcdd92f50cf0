// Which columns hold key-ring tokens (encryptField) and blind indexes (blindIndex), declared by the
// modules that own them (WeijianModule.sealed / blindIndexes). Key rotation re-seals the declared
// columns (reseal.ts) and rebuilds the declared blind indexes from their sealed source; the census test
// (sealed-columns.test.ts) fails when a table has a *_enc / *_bi column nobody declared.
import type { WeijianModule } from '../module.ts';
import type { KeyRing } from './keyring.ts';

export interface SealedColumn {
  /** Table with an `id` primary key. */
  table: string;
  /** Holds `v1.<kid>.<…>` tokens (or null). */
  column: string;
  /** The blind index of the same plaintext, e.g. { column: 'id_number_bi', domain: 'person.id_number' }. */
  blindIndex?: { column: string; domain: string };
}

/**
 * A blind index with no sealed source in its row (a value received from outside and only matched): it cannot
 * be rebuilt, so it keeps the blind-index key that made it. `keyColumn` names the column holding that key's id
 * (KeyRing.blindIndexKeyId, written with the index); lookups compare with the value's index under every key of
 * the ring (unsourcedIndexMatch). Without a keyColumn a blind-index key rotation refuses while the column holds rows.
 */
export interface UnsourcedBlindIndex {
  table: string;
  column: string;
  domain: string;
  keyColumn?: string;
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

/**
 * What a lookup on an unsourced blind index compares with: the value's index under every blind-index key.
 * SQL: `col = any(indexes) and col_key || '.' || col = any(pairs)` — the first is what an index on the
 * column serves, the second pins each index to the key it was made under.
 */
export function unsourcedIndexMatch(keys: Pick<KeyRing, 'blindIndexAll'>, value: string, domain: string): { indexes: string[]; pairs: string[] } {
  const all = keys.blindIndexAll(value, domain);
  return { indexes: all.map((a) => a.index), pairs: all.map((a) => `${a.keyId}.${a.index}`) };
}
