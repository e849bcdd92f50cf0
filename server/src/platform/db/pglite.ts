import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { SHANGHAI_TZ } from '../util/dates.ts';
import { copySql, csvLine } from './csv.ts';
import { Mutex } from './mutex.ts';
import { APP_ROLE, scopeStatements } from './scope-sql.ts';
import { type Sql, toText } from './sql.ts';
import type { Database, Queryable, Row, TxOptions } from './types.ts';

type Conn = PGlite | Transaction;

// Marks code running inside a transaction; `active` turns false when it ends, so a timer started
// inside a transaction (which inherits the marker) may use db once the transaction is over.
const inTx = new AsyncLocalStorage<{ active: boolean }>();

function queryable(conn: Conn): Queryable {
  return {
    async query<T = Row>(query: string | Sql, values: readonly unknown[] = []) {
      const { text, params } = toText(query, values);
      const res = await conn.query<T>(text, params as unknown[]);
      return res.rows;
    },
    async exec(text: string) {
      await conn.exec(text);
    },
    async copyRows(table, columns, rows) {
      // PGlite reads COPY input from a blob; load in chunks so memory stays flat.
      const sql = copySql(table, columns).replace('from stdin', "from '/dev/blob'");
      let n = 0;
      let chunk: string[] = [];
      const flush = async () => {
        if (chunk.length === 0) return;
        await conn.query(sql, [], { blob: new Blob(chunk) });
        chunk = [];
      };
      for await (const r of rows as AsyncIterable<readonly unknown[]>) {
        chunk.push(csvLine(r));
        n++;
        if (chunk.length >= 50_000) await flush();
      }
      await flush();
      return n;
    },
  };
}

export async function openPglite(dataDir: string | null, loadDataDir?: Blob): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create({
    dataDir: dataDir ?? undefined,
    loadDataDir,
    extensions: { pg_trgm },
    // Same value shapes as the pg driver (see postgres.ts): date as 'YYYY-MM-DD', numeric as number.
    parsers: { 1082: (v: string) => v, 1700: (v: string) => Number(v) },
  });
  // The one connection's calendar is Shanghai's (see postgres.ts); PGlite would otherwise run in UTC.
  await pg.exec(`set time zone '${SHANGHAI_TZ}'`);
  const mutex = new Mutex();
  const base = queryable(pg);
  const guard = <T>(fn: () => Promise<T>) => {
    if (inTx.getStore()?.active) {
      throw new Error('db used inside a transaction: use the transaction handle (tx), not db');
    }
    return mutex.run(fn);
  };
  return {
    kind: 'pglite',
    query: (text, params) => guard(() => base.query(text, params)),
    exec: (text) => guard(() => base.exec(text)),
    copyRows: (t, c, r) => guard(() => base.copyRows(t, c, r)),
    transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TxOptions) {
      return guard(() =>
        pg.transaction(async (t) => {
          const marker = { active: true };
          try {
            return await inTx.run(marker, async () => {
              if (options?.scope) {
                await t.exec(`set local role ${APP_ROLE}`);
                const s = scopeStatements(options.scope);
                await t.query(s.text, s.params);
              }
              return fn(queryable(t));
            });
          } finally {
            marker.active = false;
          }
        }),
      );
    },
    async close() {
      await mutex.run(() => pg.close());
    },
    // PGlite only: a tarball of the data directory (test templates, backups of the embedded store).
    dump: () => mutex.run(() => pg.dumpDataDir('gzip')),
  } as Database;
}
