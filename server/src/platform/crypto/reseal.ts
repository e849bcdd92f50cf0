// After `weijian keys rotate`: old rows re-sealed under the active key, and (after a blind-index key
// rotation) every declared blind index recomputed from its sealed source. Both walk a table in id
// order in small transactions, so they run beside normal traffic; progress lives in the data itself
// (a row is done when its token names the active key / its index matches), so a run that stops halfway
// is simply run again, and a second run finds nothing to do.
import { appendAudit } from '../audit/append.ts';
import { SYSTEM_PRINCIPAL } from '../auth/principal.ts';
import type { Database, Queryable } from '../db/types.ts';
import type { WeijianModule } from '../module.ts';
import type { KeyRing } from './keyring.ts';
import { type SealedColumn, sealedColumns, unsourcedBlindIndexes } from './sealed-columns.ts';

export interface ResealKernel {
  db: Database;
  keys: KeyRing;
  modules: readonly WeijianModule[];
}

export interface ColumnResult {
  table: string;
  column: string;
  /** Rows changed by this run. */
  changed: number;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
const kidNumber = (kid: string) => Number(kid.slice(1));
const origin = { ip: null, requestId: `keys:${process.pid}` };

function check(c: SealedColumn): void {
  for (const n of [c.table, c.column, c.blindIndex?.column ?? 'x']) if (!IDENT.test(n)) throw new Error(`sealed column: bad identifier ${n}`);
}

async function hasTable(db: Queryable, table: string): Promise<boolean> {
  const [r] = await db.query<{ ok: boolean }>('select to_regclass($1) is not null as ok', [table]);
  return r!.ok;
}

/** One pass over a column in id order; `work` turns a page of rows into updates (id, new token, new index). */
async function walk(
  k: ResealKernel,
  c: SealedColumn,
  where: string,
  params: unknown[],
  work: (rows: { id: number; v: string; bi: string | null }[]) => { id: number; v: string; old: string; bi: string | null }[],
  note: (n: number) => string,
  batch: number,
): Promise<number> {
  check(c);
  if (!(await hasTable(k.db, c.table))) return 0;
  const bi = c.blindIndex ? c.blindIndex.column : 'null';
  let after = 0;
  let changed = 0;
  for (;;) {
    const page = await k.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: number; v: string; bi: string | null }>(
        `select id, ${c.column} as v, ${bi} as bi from ${c.table} where id > $1 and ${c.column} is not null ${where} order by id limit ${batch}`,
        [after, ...params],
      );
      if (rows.length === 0) return null;
      const updates = work(rows);
      if (updates.length > 0) {
        // Only where the row still holds what was read: a concurrent edit wins and is left as it is.
        const setBi = c.blindIndex ? `, ${c.blindIndex.column} = u.bi` : '';
        await tx.query(
          `update ${c.table} t set ${c.column} = u.v${setBi}
             from unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) as u(id, v, old, bi)
            where t.id = u.id and t.${c.column} = u.old`,
          [updates.map((u) => u.id), updates.map((u) => u.v), updates.map((u) => u.old), updates.map((u) => u.bi)],
        );
        await appendAudit(tx, SYSTEM_PRINCIPAL, [{ kind: 'admin', action: 'keys.reseal', objectType: c.table, note: note(updates.length) }], origin);
      }
      return { last: Number(rows[rows.length - 1]!.id), n: updates.length };
    });
    if (!page) return changed;
    after = page.last;
    changed += page.n;
  }
}

/** Re-seals every token of the column that names an older key than the active one. */
export async function resealColumn(k: ResealKernel, c: SealedColumn, batch = 500): Promise<number> {
  const active = k.keys.activeKeyId;
  return walk(
    k,
    c,
    `and ${c.column} not like $2`,
    [`v1.${active}.%`],
    (rows) =>
      rows
        // A token under a newer key than ours was written by a process holding a newer ring: not ours to touch.
        .filter((r) => kidNumber(k.keys.keyIdOf(r.v)) < kidNumber(active))
        .map((r) => ({ id: Number(r.id), v: k.keys.encryptField(k.keys.decryptField(r.v)), old: r.v, bi: r.bi })),
    (n) => `${c.column}：${n} 行改用密钥 ${active} 重新加密`,
    batch,
  );
}

/** Recomputes the column's blind index from its sealed plaintext wherever it differs (after a blind-index key rotation). */
export async function rebuildBlindIndex(k: ResealKernel, c: SealedColumn, batch = 500): Promise<number> {
  const b = c.blindIndex;
  if (!b) return 0;
  return walk(
    k,
    c,
    '',
    [],
    (rows) =>
      rows
        .map((r) => ({ id: Number(r.id), v: r.v, old: r.v, bi: k.keys.blindIndex(k.keys.decryptField(r.v), b.domain), was: r.bi }))
        .filter((u) => u.bi !== u.was),
    (n) => `${b.column}：${n} 行盲索引按新密钥重建`,
    batch,
  );
}

export async function resealAll(k: ResealKernel, onColumn?: (r: ColumnResult) => Promise<void> | void): Promise<ColumnResult[]> {
  const out: ColumnResult[] = [];
  for (const c of sealedColumns(k.modules)) {
    const r = { table: c.table, column: c.column, changed: await resealColumn(k, c) };
    out.push(r);
    await onColumn?.(r);
  }
  return out;
}

export async function rebuildAllBlindIndexes(k: ResealKernel): Promise<ColumnResult[]> {
  const out: ColumnResult[] = [];
  for (const c of sealedColumns(k.modules)) {
    if (c.blindIndex) out.push({ table: c.table, column: c.blindIndex.column, changed: await rebuildBlindIndex(k, c) });
  }
  return out;
}

/**
 * Blind indexes that hold values, have no sealed source and record no key id: a new blind-index key would
 * orphan them. (Those with a keyColumn keep their key and are looked up under every key: not listed.)
 */
export async function unrebuildableBlindIndexes(k: ResealKernel): Promise<string[]> {
  const out: string[] = [];
  for (const u of unsourcedBlindIndexes(k.modules)) {
    if (u.keyColumn) continue;
    check({ table: u.table, column: u.column });
    if (!(await hasTable(k.db, u.table))) continue;
    const r = await k.db.query<{ n: number }>(`select count(*)::int as n from ${u.table} where ${u.column} is not null`).then((rows) => rows[0]!);
    if (r.n > 0) out.push(`${u.table}.${u.column}（${r.n} 行）`);
  }
  return out;
}

/** Rows per declared column whose token is not under the active key (what a re-seal still has to do). */
export async function resealBacklog(k: ResealKernel): Promise<ColumnResult[]> {
  const out: ColumnResult[] = [];
  for (const c of sealedColumns(k.modules)) {
    check(c);
    if (!(await hasTable(k.db, c.table))) continue;
    const r = await k.db
      .query<{ n: number }>(`select count(*)::int as n from ${c.table} where ${c.column} is not null and ${c.column} not like $1`, [
        `v1.${k.keys.activeKeyId}.%`,
      ])
      .then((rows) => rows[0]!);
    out.push({ table: c.table, column: c.column, changed: r.n });
  }
  return out;
}

export interface BlindKeyUse {
  table: string;
  column: string;
  /** Rows per blind-index key id that made them. */
  byKey: Record<string, number>;
}

/** Which blind-index keys the unsourced indexes still use: a retired key is needed until none does. */
export async function unsourcedBlindKeyUse(k: ResealKernel): Promise<BlindKeyUse[]> {
  const out: BlindKeyUse[] = [];
  for (const u of unsourcedBlindIndexes(k.modules)) {
    if (!u.keyColumn) continue;
    check({ table: u.table, column: u.column, blindIndex: { column: u.keyColumn, domain: u.domain } });
    if (!(await hasTable(k.db, u.table))) continue;
    const rows = await k.db.query<{ kid: string; n: number }>(
      `select ${u.keyColumn} as kid, count(*)::int as n from ${u.table} where ${u.column} is not null group by 1 order by 1`,
    );
    out.push({ table: u.table, column: u.column, byKey: Object.fromEntries(rows.map((r) => [r.kid, r.n])) });
  }
  return out;
}

/**
 * The census behind key rotation: every `*_enc` / `*_bi` column of the schema that no module declared
 * (so rotation would skip it), and every declared column — sealed, blind index or key id — that does not exist.
 */
export async function sealedColumnCensus(k: Pick<ResealKernel, 'db' | 'modules'>): Promise<{ undeclared: string[]; missing: string[] }> {
  const cols = await k.db.query<{ c: string }>(
    `select table_name || '.' || column_name as c from information_schema.columns c
      join information_schema.tables t using (table_schema, table_name)
     where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
     order by 1`,
  );
  const existing = new Set(cols.map((r) => r.c));
  const declared = new Set([
    ...sealedColumns(k.modules).flatMap((s) => [`${s.table}.${s.column}`, ...(s.blindIndex ? [`${s.table}.${s.blindIndex.column}`] : [])]),
    ...unsourcedBlindIndexes(k.modules).flatMap((u) => [`${u.table}.${u.column}`, ...(u.keyColumn ? [`${u.table}.${u.keyColumn}`] : [])]),
  ]);
  const undeclared = [...existing].filter((c) => /_(enc|bi)$/.test(c) && !declared.has(c));
  const missing = [...declared].filter((c) => !existing.has(c));
  return { undeclared, missing };
}
