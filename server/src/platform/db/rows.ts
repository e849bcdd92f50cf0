import type { Sql } from './sql.ts';
import type { Queryable } from './types.ts';

/** The first row, or undefined when there is none — the caller decides what "no row" means. */
export async function first<T>(q: Queryable, query: Sql): Promise<T | undefined> {
  const [row] = await q.query<T>(query);
  return row;
}

/** The row a statement must return (an insert … returning, an aggregate); none is a bug, not a 404. */
export async function one<T>(q: Queryable, query: Sql): Promise<T> {
  const [row] = await q.query<T>(query);
  if (row === undefined) throw new Error(`expected a row from: ${query.compile().text.slice(0, 120)}`);
  return row;
}
