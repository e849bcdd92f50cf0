// The outbox: a message for an outside system is written in the caller's transaction, next to the
// business write that causes it. It exists exactly when that write commits (a rollback takes it
// away), and the dispatcher delivers it later, however long the other side is down.
import type { Queryable } from '../db/types.ts';
import { SYSTEM_NAME } from './systems.ts';

export type MessageStatus = 'pending' | 'delivering' | 'delivered' | 'failed' | 'dead';
export const MESSAGE_STATUSES: readonly MessageStatus[] = ['pending', 'delivering', 'delivered', 'failed', 'dead'];
export const STATUS_TITLES: Record<MessageStatus, string> = {
  pending: '待投递',
  delivering: '投递中',
  delivered: '已送达',
  failed: '失败待重试',
  dead: '死信',
};

export interface OutboxMessage {
  id: number;
  system: string;
  topic: string;
  /** Idempotency key: unique per system, sent as the Idempotency-Key header. */
  key: string;
  payload: Record<string, unknown>;
  districtCode: string | null;
  status: MessageStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  response: unknown;
}

export interface EnqueueInput {
  /** Adapter name, e.g. 'national-subsidy'. */
  system: string;
  /** e.g. 'subsidy.application'; the generic adapter posts to /inbox/<topic>. */
  topic: string;
  /**
   * What makes this message unique for the receiver, e.g. `application:${id}:v${version}`. Enqueuing
   * the same key again for the same system adds nothing and returns the first message's id.
   */
  key: string;
  /** A JSON object. */
  payload: Record<string, unknown>;
  /** The district the message's data belongs to (who may see it in the dead-letter view); null = city only. */
  districtCode?: string | null;
}

const TOPIC = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
// Printable ASCII: it travels in an HTTP header.
const KEY = /^[\x21-\x7e]{1,200}$/;

/** Inserts the message in `tx` (the caller's transaction). created = false for a key already queued. */
export async function enqueueMessage(tx: Queryable, input: EnqueueInput): Promise<{ id: number; created: boolean }> {
  if (!SYSTEM_NAME.test(input.system)) throw new Error(`outbox: bad system name "${input.system}"`);
  if (!TOPIC.test(input.topic)) throw new Error(`outbox: bad topic "${input.topic}"`);
  if (!KEY.test(input.key)) throw new Error('outbox: the idempotency key must be 1-200 printable ASCII characters');
  if (typeof input.payload !== 'object' || input.payload === null || Array.isArray(input.payload)) throw new Error('outbox: payload must be a JSON object');
  const [r] = await tx.query<{ id: number; created: boolean }>('select id, created from wj_outbox_enqueue($1, $2, $3, $4::jsonb, $5)', [
    input.system,
    input.topic,
    input.key,
    JSON.stringify(input.payload),
    input.districtCode ?? null,
  ]);
  return { id: Number(r!.id), created: r!.created };
}

export function toMessage(r: Record<string, unknown>): OutboxMessage {
  return {
    id: Number(r.id),
    system: r.system as string,
    topic: r.topic as string,
    key: r.idempotency_key as string,
    payload: (r.payload as Record<string, unknown>) ?? {},
    districtCode: (r.district_code as string | null) ?? null,
    status: r.status as MessageStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at as Date,
    lastError: (r.last_error as string | null) ?? null,
    createdAt: r.created_at as Date,
    deliveredAt: (r.delivered_at as Date | null) ?? null,
    response: r.response ?? null,
  };
}
