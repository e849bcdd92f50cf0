import type { Tx } from '../db/types.ts';
import type { Kernel } from '../kernel.ts';
import { scopeLabels } from './scope-label.ts';
import { type AdminUserView, adminUserView, USER_COLUMNS, type UserRow, type UserView, scopeOfRow, userView } from './user-view.ts';

/** One user as the caller's row-level security lets them see it; null when absent or out of scope. */
export async function loadUserRow(tx: Tx, id: number): Promise<UserRow | null> {
  const [r] = await tx.query<UserRow>(`select ${USER_COLUMNS} from app_user where id = $1`, [id]);
  return r ?? null;
}

export async function viewOf(tx: Tx, kernel: Kernel, r: UserRow): Promise<UserView> {
  const [label] = await scopeLabels(tx, [scopeOfRow(r)]);
  return userView(kernel, r, label!);
}

export async function adminViews(tx: Tx, kernel: Kernel, rows: UserRow[]): Promise<AdminUserView[]> {
  const labels = await scopeLabels(tx, rows.map(scopeOfRow));
  return rows.map((r, i) => adminUserView(kernel, r, labels[i]!));
}
