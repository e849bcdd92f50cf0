// The dead-letter view's SQL: list, detail and manual retry of outbox messages. Runs in the caller's
// transaction, so row-level security limits a district user to the district's messages.
import { one } from '../db/rows.ts';
import { type Sql, sql, where } from '../db/sql.ts';
import type { Queryable } from '../db/types.ts';
import { conflict, notFound } from '../http/errors.ts';
import { type MessageStatus, STATUS_TITLES, toMessage } from './outbox.ts';
import type { AdapterRegistry } from './registry.ts';
import { outsideSystem } from './systems.ts';

export interface MessageFilter {
  system?: string;
  status?: MessageStatus;
  topic?: string;
}

export const systemTitle = (adapters: AdapterRegistry, system: string) => adapters.get(system)?.title ?? outsideSystem(system)?.title ?? system;

function item(adapters: AdapterRegistry, r: Record<string, unknown>) {
  const m = toMessage(r);
  return {
    id: m.id,
    system: m.system,
    systemTitle: systemTitle(adapters, m.system),
    topic: m.topic,
    key: m.key,
    status: m.status,
    statusTitle: STATUS_TITLES[m.status],
    attempts: m.attempts,
    maxAttempts: adapters.get(m.system)?.retry.maxAttempts ?? null,
    nextAttemptAt: m.status === 'pending' || m.status === 'failed' ? m.nextAttemptAt : null,
    lastError: m.lastError,
    districtCode: m.districtCode,
    createdAt: m.createdAt,
    deliveredAt: m.deliveredAt,
  };
}

export type MessageItem = ReturnType<typeof item>;

/** Newest first. */
export async function listMessages(
  tx: Queryable,
  adapters: AdapterRegistry,
  f: MessageFilter,
  page: number,
  pageSize: number,
): Promise<{ items: MessageItem[]; total: number; page: number; pageSize: number }> {
  const conds: Sql[] = [];
  if (f.system) conds.push(sql`system = ${f.system}`);
  if (f.status) conds.push(sql`status = ${f.status}`);
  if (f.topic) conds.push(sql`topic = ${f.topic}`);
  const w = where(conds);
  const { total } = await one<{ total: number }>(tx, sql`select count(*)::int as total from outbox_message ${w}`);
  const rows = await tx.query(
    sql`select id, system, topic, idempotency_key, district_code, status, attempts, next_attempt_at, last_error, created_at, delivered_at
       from outbox_message ${w} order by id desc limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  return { items: rows.map((r) => item(adapters, r)), total: Number(total), page, pageSize };
}

export async function getMessage(tx: Queryable, adapters: AdapterRegistry, id: number) {
  const [r] = await tx.query('select * from outbox_message where id = $1', [id]);
  if (!r) throw notFound('消息不存在或不在您的数据权限范围内');
  const attempts = await tx.query<{
    attempt: number;
    started_at: Date;
    duration_ms: number;
    outcome: string;
    http_status: number | null;
    error: string | null;
  }>('select attempt, started_at, duration_ms, outcome, http_status, error from outbox_attempt where message_id = $1 order by id', [id]);
  const m = toMessage(r);
  return {
    ...item(adapters, r),
    payload: m.payload,
    response: m.response,
    history: attempts.map((a) => ({
      attempt: Number(a.attempt),
      startedAt: a.started_at,
      durationMs: Number(a.duration_ms),
      outcome: a.outcome,
      httpStatus: a.http_status === null ? null : Number(a.http_status),
      error: a.error,
    })),
  };
}

/** dead → pending with a fresh set of attempts; the history and the audit trail keep what happened before. */
export async function retryMessage(tx: Queryable, adapters: AdapterRegistry, id: number): Promise<{ before: MessageItem; after: MessageItem }> {
  const [r] = await tx.query('select * from outbox_message where id = $1 for update', [id]);
  if (!r) throw notFound('消息不存在或不在您的数据权限范围内');
  const before = item(adapters, r);
  if (before.status !== 'dead') throw conflict(`只有死信消息可以重新投递（当前状态：${before.statusTitle}）`);
  const a = await one<Record<string, unknown>>(
    tx,
    sql`update outbox_message set status = 'pending', attempts = 0, next_attempt_at = now(), last_error = null where id = ${id} returning *`,
  );
  return { before, after: item(adapters, a) };
}
