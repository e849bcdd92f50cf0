// Test-only helpers: append events without the HTTP layer, and tamper with the log as the table owner.
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/types.ts';
import { appendAudit } from './append.ts';
import type { AuditInput } from './event.ts';
import { GENESIS_HASH } from './hash.ts';

export const testActor: Principal = {
  kind: 'user',
  userId: 9,
  username: 'tester',
  displayName: '测试员',
  role: 'city_admin',
  scope: { level: 'city' },
  permissions: new Set(),
};

export const districtActor: Principal = {
  ...testActor,
  userId: 10,
  username: 'pudong',
  role: 'district_admin',
  scope: { level: 'district', districtCode: '310115' },
};

/** Values of awkward shapes, so append and verify must agree on every jsonb round trip. */
export function sampleEvent(i: number): AuditInput {
  return {
    kind: i % 3 === 0 ? 'read' : 'write',
    action: i % 2 ? 'resident.update' : 'institution.create',
    objectType: i % 2 ? 'person' : 'institution',
    objectId: i % 4 === 0 ? i : String(i),
    before: i % 2 ? { phone: '138****0000', nested: { z: 1, a: [1, 2.5, null, true] }, 中文键: '值' } : undefined,
    after: [
      { when: new Date(Date.UTC(2026, 0, i)), n: 1e21, small: 1e-7, neg: -0, big: 2 ** 53 + 2, s: 'line\n"quoted"\t\\ ✓ 𠮷' },
      '仅文本',
      42,
      [1, [2, [3]]],
      null,
    ][i % 5],
    note: i % 5 === 0 ? undefined : `第${i}条`,
  };
}

export async function appendEvents(db: Database, n: number, actor: Principal = testActor, start = 1): Promise<void> {
  for (let i = start; i < start + n; i++) {
    await db.transaction((tx) => appendAudit(tx, actor, [sampleEvent(i)], { ip: '10.0.0.1', requestId: `req-${i}` }));
  }
}

const TRIGGERS: Record<string, string> = {
  audit_event: 'audit_event_append_only',
  audit_checkpoint: 'audit_checkpoint_append_only',
  audit_verification: 'audit_verification_append_only',
};

/** Runs statements with the append-only triggers switched off (an attacker with owner rights). */
export async function tamper(db: Database, statements: { sql: string; params?: unknown[] }[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const [t, trg] of Object.entries(TRIGGERS)) await tx.exec(`alter table ${t} disable trigger ${trg}`);
    for (const s of statements) await tx.query(s.sql, s.params ?? []);
    for (const [t, trg] of Object.entries(TRIGGERS)) await tx.exec(`alter table ${t} enable trigger ${trg}`);
  });
}

/** Empties the log between scenarios. */
export async function resetAudit(db: Database): Promise<void> {
  await tamper(db, [
    { sql: 'delete from audit_event' },
    { sql: 'delete from audit_checkpoint' },
    { sql: 'delete from audit_verification' },
    { sql: 'update audit_head set seq = 0, hash = $1 where id = 1', params: [GENESIS_HASH] },
  ]);
}
