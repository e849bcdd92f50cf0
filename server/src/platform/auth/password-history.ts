import type { Queryable } from '../db/types.ts';
import { verifyPassword } from './password.ts';

/**
 * Password history (等保三级: no reuse of recent passwords). app_password_history keeps the argon2id hashes
 * of earlier passwords; with a history of N, a new password may not be the current one nor any of the
 * N − 1 before it. Hashes only: nothing here can give a password back.
 */

/**
 * True when the password is one of the N − 1 before the current one. The current one is the caller's to
 * compare: a change has just verified the old password, so "same as the old one" is a string comparison,
 * not one more argon2 verify.
 */
export async function isEarlierPassword(tx: Queryable, userId: number, password: string, history: number): Promise<boolean> {
  if (history <= 1) return false;
  const rows = await tx.query<{ password_hash: string }>('select password_hash from app_password_history where user_id = $1 order by id desc limit $2', [
    userId,
    history - 1,
  ]);
  for (const r of rows) if (await verifyPassword(r.password_hash, password)) return true;
  return false;
}

/** Keeps the hash being replaced, and only as many as the history needs (none with a history of 1 or 0). */
export async function rememberPassword(tx: Queryable, userId: number, replacedHash: string, history: number): Promise<void> {
  if (history <= 1) return;
  await tx.query('insert into app_password_history (user_id, password_hash) values ($1, $2)', [userId, replacedHash]);
  await tx.query(
    `delete from app_password_history where user_id = $1 and id not in
       (select id from app_password_history where user_id = $1 order by id desc limit $2)`,
    [userId, history - 1],
  );
}
