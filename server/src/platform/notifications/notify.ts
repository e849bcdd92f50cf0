import type { RoleCode } from '../auth/roles.ts';
import type { Queryable } from '../db/types.ts';

export interface NotifyInput {
  /** What it is about, e.g. 'subsidy.funnel-alert', 'fd.inpatient-admission'. */
  kind: string;
  title: string;
  body?: string;
  /** A console path to open, e.g. '/family-planning/childcare-subsidy?tab=funnel'. */
  link?: string;
  /** Dedupe per user and kind: the same key again adds nothing. */
  key?: string;
}

/** Where the notification's subject lives: users whose scope covers it are notified. */
export interface NotifyTarget {
  district?: string | null;
  street?: string | null;
  institutionId?: number | null;
  teamId?: number | null;
  practitionerId?: number | null;
}

function check(n: NotifyInput): void {
  if (!/^[a-z][a-z0-9.-]{1,80}$/.test(n.kind)) throw new Error(`notifications: bad kind "${n.kind}"`);
  if (!n.title.trim()) throw new Error('notifications: empty title');
  if (n.link && !n.link.startsWith('/')) throw new Error('notifications: link must be a console path');
}

/** Notifies the given users (disabled accounts skipped). Returns how many notifications were created. */
export async function notifyUsers(tx: Queryable, userIds: number[], n: NotifyInput): Promise<number> {
  check(n);
  if (userIds.length === 0) return 0;
  const [r] = await tx.query<{ n: number }>('select wj_notify_users($1::bigint[], $2, $3, $4, $5, $6) as n', [
    userIds,
    n.kind,
    n.title,
    n.body ?? null,
    n.link ?? null,
    n.key ?? null,
  ]);
  return Number(r?.n ?? 0);
}

/** Notifies every user of `roles` whose data scope covers `where` (city-level users always). */
export async function notifyRoles(tx: Queryable, roles: readonly RoleCode[], where: NotifyTarget, n: NotifyInput): Promise<number> {
  check(n);
  if (roles.length === 0) return 0;
  const [r] = await tx.query<{ n: number }>('select wj_notify_roles($1::text[], $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) as n', [
    roles,
    where.district ?? null,
    where.street ?? null,
    where.institutionId ?? null,
    where.teamId ?? null,
    where.practitionerId ?? null,
    n.kind,
    n.title,
    n.body ?? null,
    n.link ?? null,
    n.key ?? null,
  ]);
  return Number(r?.n ?? 0);
}
