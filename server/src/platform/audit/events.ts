import { one } from '../db/rows.ts';
import { type Sql, sql, where } from '../db/sql.ts';
import type { Queryable } from '../db/types.ts';
import { fieldError } from '../http/errors.ts';

export interface AuditEventFilters {
  /** YYYY-MM-DD (a whole day, Asia/Shanghai) or an ISO date-time; both ends inclusive. */
  from?: string;
  to?: string;
  actor?: string;
  /** Prefix: 'resident.' finds every resident action. */
  action?: string;
  kind?: 'write' | 'read' | 'auth' | 'admin';
  objectType?: string;
  objectId?: string;
}

export interface AuditEventItem {
  seq: number;
  ts: Date;
  actorId: number | null;
  actorUsername: string;
  actorRole: string;
  scope: string;
  districtCode: string | null;
  kind: string;
  action: string;
  objectType: string;
  objectId: string | null;
  before: unknown;
  after: unknown;
  note: string | null;
  ip: string | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Shanghai has no daylight saving time: a day there is [D 00:00+08, D+1 00:00+08). */
function bound(field: 'from' | 'to', v: string): Date {
  const isDay = DAY.test(v);
  const d = new Date(isDay ? `${v}T00:00:00+08:00` : v);
  if (Number.isNaN(d.getTime())) throw fieldError(field, '日期格式不正确，应为 YYYY-MM-DD 或 ISO 日期时间');
  if (isDay && field === 'to') d.setTime(d.getTime() + 86_400_000);
  return d;
}

/** Newest first. Row-level security already limits a district user to their district's events. */
export async function listAuditEvents(
  tx: Queryable,
  f: AuditEventFilters,
  page: number,
  pageSize: number,
): Promise<{ items: AuditEventItem[]; total: number }> {
  const conds: Sql[] = [];
  if (f.from) conds.push(sql`ts >= ${bound('from', f.from)}`);
  // A day given as `to` includes that whole day; a date-time is inclusive as given.
  if (f.to) conds.push(DAY.test(f.to) ? sql`ts < ${bound('to', f.to)}` : sql`ts <= ${bound('to', f.to)}`);
  if (f.actor) conds.push(sql`actor_username = ${f.actor}`);
  if (f.action) conds.push(sql`starts_with(action, ${f.action})`);
  if (f.kind) conds.push(sql`kind = ${f.kind}`);
  if (f.objectType) conds.push(sql`object_type = ${f.objectType}`);
  if (f.objectId) conds.push(sql`object_id = ${f.objectId}`);
  const w = where(conds);
  const { n } = await one<{ n: number }>(tx, sql`select count(*)::int as n from audit_event ${w}`);
  const rows = await tx.query<Record<string, unknown>>(sql`select * from audit_event ${w} order by seq desc limit ${pageSize} offset ${(page - 1) * pageSize}`);
  return {
    total: n,
    items: rows.map((r) => ({
      seq: Number(r.seq),
      ts: r.ts as Date,
      actorId: r.actor_id == null ? null : Number(r.actor_id),
      actorUsername: r.actor_username as string,
      actorRole: r.actor_role as string,
      scope: r.scope as string,
      districtCode: r.district_code as string | null,
      kind: r.kind as string,
      action: r.action as string,
      objectType: r.object_type as string,
      objectId: r.object_id as string | null,
      before: r.before,
      after: r.after,
      note: r.note as string | null,
      ip: r.ip as string | null,
      requestId: r.request_id as string | null,
      prevHash: r.prev_hash as string,
      hash: r.hash as string,
    })),
  };
}
