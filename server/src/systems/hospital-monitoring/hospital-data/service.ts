import type { Queryable } from '../../../platform/db/types.ts';
import { quoteIdent } from '../../../platform/rules/catalog.ts';

/** The tables of the data set a correction (data quality's 数据修正) may change; every one has `updated_at`. */
const CORRECTABLE_TABLES = new Set(['hm_encounter', 'hm_fee_line', 'hm_diagnosis', 'hm_procedure']);

export interface FieldCorrection {
  table: string;
  column: string;
  /** The table's key column and the row's key. */
  key: string;
  id: number | string;
  value: string;
  cast: 'date' | 'int8' | 'text';
}

/**
 * Sets one field of one row of the hospital data set — the only write other modules make to it. Runs in the
 * caller's scoped transaction, so row-level security decides which rows a hospital may correct; the caller
 * checks the value and keeps the before/after trail.
 */
export async function correctHospitalField(tx: Queryable, c: FieldCorrection): Promise<void> {
  if (!CORRECTABLE_TABLES.has(c.table)) throw new Error(`not a correctable hospital data table: ${c.table}`);
  await tx.query(`update ${quoteIdent(c.table)} set ${quoteIdent(c.column)} = $2::${c.cast}, updated_at = now() where ${quoteIdent(c.key)} = $1::int8`, [
    c.id,
    c.value,
  ]);
}
