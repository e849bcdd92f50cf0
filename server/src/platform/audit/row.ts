import type { ChainedEvent } from './hash.ts';

/**
 * A before/after value as it comes back out of jsonb: what JSON.stringify keeps (toJSON applied,
 * undefined and functions dropped). appendAudit hashes this form, so append and verify agree.
 */
export function storedJson(v: unknown): unknown {
  if (v == null) return null;
  const text = JSON.stringify(v);
  return text === undefined ? null : JSON.parse(text);
}

/** An audit_event row as selected with AUDIT_EVENT_COLUMNS (Date or text timestamps: either driver). */
export interface AuditEventRow {
  seq: number | string;
  ts: Date | string;
  actor_id: number | string | null;
  actor_username: string;
  actor_role: string;
  scope: string;
  district_code: string | null;
  kind: string;
  action: string;
  object_type: string;
  object_id: string | null;
  /** jsonb as text: a parsed top-level JSON string could not be told apart from its text. */
  before: string | null;
  after: string | null;
  note: string | null;
  ip: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export const AUDIT_EVENT_COLUMNS =
  'seq, ts, actor_id, actor_username, actor_role, scope, district_code, kind, action, object_type, object_id, ' +
  'before::text as before, after::text as after, note, ip, request_id, prev_hash, hash';

const json = (v: string | null): unknown => (v == null ? null : JSON.parse(v));

/** Rebuilds exactly the object appendAudit hashed from a stored row. */
export function chainedEventFromRow(r: AuditEventRow): ChainedEvent {
  return {
    seq: Number(r.seq),
    // Appended with millisecond precision, so the round trip through timestamptz is exact.
    ts: (r.ts instanceof Date ? r.ts : new Date(r.ts)).toISOString(),
    actor_id: r.actor_id == null ? null : Number(r.actor_id),
    actor_username: r.actor_username,
    actor_role: r.actor_role,
    scope: r.scope,
    district_code: r.district_code,
    kind: r.kind,
    action: r.action,
    object_type: r.object_type,
    object_id: r.object_id,
    before: json(r.before),
    after: json(r.after),
    note: r.note,
    ip: r.ip,
    request_id: r.request_id,
  };
}
