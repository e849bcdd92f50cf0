import type { Sql } from './sql.ts';

/** One interface over PGlite and a pg pool, so every module writes plain PostgreSQL once. */
export type Row = Record<string, unknown>;

export interface Queryable {
  /** A `sql` fragment (see sql.ts), or constant text with $1, $2 … and its parameters; returns the rows. */
  query<T = Row>(text: string | Sql, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements without parameters (migrations, DDL). */
  exec(text: string): Promise<void>;
  /** Bulk load through COPY … FROM STDIN (csv). Rows are arrays in column order. */
  copyRows(table: string, columns: readonly string[], rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>): Promise<number>;
}

export type Tx = Queryable;

export interface TxOptions {
  /** Runs `SET LOCAL ROLE weijian_app` and the scope settings so row-level security applies. */
  scope?: ScopeSettings;
}

/** Per-transaction settings read by the row-level-security policies (see platform/scope). */
export type ScopeSettings = Record<string, string>;

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TxOptions): Promise<T>;
  /**
   * LISTEN on a dedicated connection (PostgreSQL only: PGlite is one process, nothing to hear). `up` is
   * called once listening (again after a reconnect), `down` when the connection is lost — notifications
   * may have been missed in between. Resolves once listening; closed with the database.
   */
  listen?(channel: string, handlers: ListenHandlers): Promise<void>;
  close(): Promise<void>;
}

export interface ListenHandlers {
  message(payload: string): void;
  up(): void;
  down(): void;
}
