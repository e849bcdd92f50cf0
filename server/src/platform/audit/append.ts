import { one } from '../db/rows.ts';
import { type Sql, sql } from '../db/sql.ts';
import type { Tx } from '../db/types.ts';
import type { Principal } from '../auth/principal.ts';
import { describeScope } from '../scope/scope.ts';
import type { AuditInput } from './event.ts';
import { type ChainedEvent, eventHash } from './hash.ts';
import { storedJson } from './row.ts';

export interface AuditOrigin {
  ip: string | null;
  requestId: string | null;
}

const COLS = [
  'seq',
  'ts',
  'actor_id',
  'actor_username',
  'actor_role',
  'scope',
  'district_code',
  'kind',
  'action',
  'object_type',
  'object_id',
  'before',
  'after',
  'note',
  'ip',
  'request_id',
  'prev_hash',
  'hash',
] as const;

/**
 * Appends events to the hash chain inside the caller's transaction. The head row is locked until
 * commit, which orders appends; callers append last, just before commit, to keep that lock short.
 */
export async function appendAudit(tx: Tx, principal: Principal, events: AuditInput[], origin: AuditOrigin): Promise<void> {
  if (events.length === 0) return;
  let { seq, hash } = await one<{ seq: number; hash: string }>(tx, sql`select seq, hash from audit_head where id = 1 for update`);
  const ts = new Date().toISOString();
  const tuples: Sql[] = [];
  for (const e of events) {
    seq += 1;
    const actor = e.actor ?? { userId: principal.userId, username: principal.username, role: principal.role };
    const ev: ChainedEvent = {
      seq,
      ts,
      actor_id: actor.userId,
      actor_username: actor.username,
      actor_role: actor.role,
      scope: describeScope(principal.scope),
      district_code: e.districtCode !== undefined ? e.districtCode : (principal.scope.districtCode ?? null),
      kind: e.kind,
      action: e.action,
      object_type: e.objectType,
      object_id: e.objectId == null ? null : String(e.objectId),
      // Hash the values as jsonb will hand them back, so verify.ts recomputes the same hash.
      before: storedJson(e.before),
      after: storedJson(e.after),
      note: e.note ?? null,
      ip: origin.ip,
      request_id: origin.requestId,
    };
    const prev = hash;
    hash = eventHash(prev, ev);
    const row = [
      ...COLS.slice(0, 16).map((c) => {
        const v = ev[c as keyof ChainedEvent];
        return c === 'before' || c === 'after' ? (v == null ? null : JSON.stringify(v)) : v;
      }),
      prev,
      hash,
    ];
    tuples.push(sql`(${sql.join(row.map((v) => sql`${v}`))})`);
  }
  await tx.query(sql`insert into audit_event (${sql.raw(COLS.join(', '))}) values ${sql.join(tuples)}`);
  await tx.query(sql`update audit_head set seq = ${seq}, hash = ${hash} where id = 1`);
}
