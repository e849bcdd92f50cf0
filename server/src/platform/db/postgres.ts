import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SHANGHAI_TZ } from '../util/dates.ts';
import { copySql, csvLine } from './csv.ts';
import { APP_ROLE, scopeBatch } from './scope-sql.ts';
import { type Sql, toText } from './sql.ts';
import type { Database, ListenHandlers, Queryable, Row, TxOptions } from './types.ts';

// Keep dates and timestamps as strings: one representation on both backends (PGlite returns Date
// for timestamptz too, so we normalise there as well; see db/index.ts).
pg.types.setTypeParser(1082, (v) => v); // date
pg.types.setTypeParser(20, (v) => Number(v)); // int8 → number (ids stay far below 2^53)
pg.types.setTypeParser(1700, (v) => Number(v)); // numeric → number

function queryable(client: pg.PoolClient | pg.Pool): Queryable {
  return {
    async query<T = Row>(query: string | Sql, values: readonly unknown[] = []) {
      const { text, params } = toText(query, values);
      const res = await client.query(text, params as unknown[]);
      return res.rows as T[];
    },
    async exec(text: string) {
      await client.query(text);
    },
    async copyRows(table, columns, rows) {
      const c = 'release' in client ? client : await (client as pg.Pool).connect();
      try {
        let n = 0;
        async function* lines() {
          let buf = '';
          for await (const r of rows as AsyncIterable<readonly unknown[]>) {
            buf += csvLine(r);
            n++;
            if (buf.length > 1 << 20) {
              yield buf;
              buf = '';
            }
          }
          if (buf) yield buf;
        }
        await pipeline(Readable.from(lines()), c.query(copyFrom(copySql(table, columns))));
        return n;
      } finally {
        if (c !== client) (c as pg.PoolClient).release();
      }
    },
  };
}

export async function openPostgres(url: string, max = 20): Promise<Database> {
  // Every connection's calendar is Shanghai's: current_date, timestamptz::date and to_char agree with
  // todayInShanghai() whatever the server's own TimeZone setting (platform/util/dates).
  const pool = new pg.Pool({ connectionString: url, max, options: `-c TimeZone=${SHANGHAI_TZ}` });
  pool.on('error', () => {}); // idle client errors surface on the next query instead of crashing
  await pool.query('select 1');
  const base = queryable(pool);
  const listeners: Array<() => Promise<void>> = [];
  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    copyRows: base.copyRows,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TxOptions) {
      const client = await pool.connect();
      try {
        // One round trip opens the transaction with its role and scope (a simple-protocol batch).
        await client.query(options?.scope ? `begin; set local role ${APP_ROLE}; ${scopeBatch(options.scope)}` : 'begin');
        const out = await fn(queryable(client));
        await client.query('commit');
        return out;
      } catch (e) {
        await client.query('rollback').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async listen(channel: string, handlers: ListenHandlers) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name: ${channel}`);
      let closed = false;
      let client: pg.Client | null = null;
      let retry: NodeJS.Timeout | null = null;
      const connect = async (): Promise<void> => {
        const c = new pg.Client({ connectionString: url });
        let lost = false;
        const onLost = () => {
          if (lost) return;
          lost = true;
          client = null;
          handlers.down();
          c.end().catch(() => {});
          if (!closed) retry = setTimeout(() => void connect().catch(() => {}), 1000);
        };
        c.on('notification', (m) => {
          if (m.channel === channel) handlers.message(m.payload ?? '');
        });
        c.on('error', onLost);
        c.on('end', onLost);
        try {
          await c.connect();
          await c.query(`listen ${channel}`);
        } catch (e) {
          onLost();
          throw e;
        }
        if (closed) {
          await c.end().catch(() => {});
          return;
        }
        client = c;
        handlers.up();
      };
      listeners.push(async () => {
        closed = true;
        if (retry) clearTimeout(retry);
        const c = client;
        client = null;
        await c?.end().catch(() => {});
      });
      await connect();
    },
    async close() {
      await Promise.all(listeners.map((l) => l()));
      await pool.end();
    },
  };
}
