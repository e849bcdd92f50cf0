import { createHash } from 'node:crypto';
import type { KeyRing } from '../crypto/keyring.ts';
import type { Database } from '../db/types.ts';
import type { ProgressFn } from './context.ts';
import type { WorldStage, WorldTable } from './types.ts';

/** The planted anomalies are part of the world too. */
export const TRUTH_TABLE: WorldTable = {
  table: 'world_truth',
  orderBy: 'stage collate "C", kind collate "C", object_type collate "C", object_id collate "C", detail::text collate "C"',
  columns: ['stage', 'kind', 'object_type', 'object_id', 'detail'],
};

const IDENT = /^[a-z_][a-z0-9_]*$/;
const BATCH = 10_000;

/**
 * SM3 over the world's plaintext, table by table in stage order, rows in each table's canonical order.
 * Ciphertexts differ per install (keys, random IVs), so sealed columns are decrypted first: the same seed
 * gives the same digest on PGlite and on PostgreSQL, on any machine.
 */
export async function worldDigest(db: Database, keys: KeyRing, stages: readonly WorldStage[], onProgress?: ProgressFn): Promise<string> {
  const h = createHash('sm3');
  const tables = [...[...stages].sort((a, b) => a.order - b.order).flatMap((s) => s.tables ?? []), TRUTH_TABLE];
  for (const t of tables) {
    for (const c of [t.table, ...t.columns]) if (!IDENT.test(c)) throw new Error(`bad identifier in world table: ${c}`);
    const sealed = new Set(t.sealed ?? []);
    const sealedAt = t.columns.map((c) => sealed.has(c));
    const where = t.where ? ` where ${t.where}` : '';
    const { n } = (await db.query<{ n: number }>(`select count(*)::int as n from ${t.table}${where}`))[0]!;
    h.update(`#${t.table}\u0000${t.columns.join(',')}\u0000${n}\n`);
    let done = 0;
    // Values as text: the same representation on PGlite and the pg driver (dates, bigint, jsonb, floats).
    const select = t.columns.map((c) => `${c}::text`).join(', ');
    await db.transaction(async (tx) => {
      await tx.exec(`declare world_digest no scroll cursor for select ${select} from ${t.table}${where} order by ${t.orderBy}`);
      for (;;) {
        const rows = await tx.query<Record<string, string | null>>(`fetch ${BATCH} from world_digest`);
        if (rows.length === 0) break;
        for (const r of rows) {
          const values = Object.values(r);
          for (let i = 0; i < values.length; i++) {
            const v = values[i];
            if (sealedAt[i] && v !== null) values[i] = keys.decryptField(v as string);
          }
          h.update(`${JSON.stringify(values)}\n`);
        }
        done += rows.length;
        onProgress?.(`摘要 ${t.table}`, done, n);
      }
      await tx.exec('close world_digest');
    });
  }
  return h.digest('hex');
}
