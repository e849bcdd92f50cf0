import type { Principal } from '../auth/principal.ts';
import type { Database, Queryable } from '../db/types.ts';
import { appendAudit, type AuditOrigin } from './append.ts';
import type { VerifyResult } from './verify.ts';

export interface Verification {
  id: number;
  ts: Date;
  ok: boolean;
  checkedEvents: number;
  checkedCheckpoints: number;
  firstBrokenSeq: number | null;
  reason: string | null;
  by: string;
}

interface VerificationRow {
  id: number;
  ts: Date;
  ok: boolean;
  checked_events: number;
  checked_checkpoints: number;
  first_broken_seq: number | null;
  reason: string | null;
  verified_by: string;
}

const COLS = 'id, ts, ok, checked_events, checked_checkpoints, first_broken_seq, reason, verified_by';

function fromRow(r: VerificationRow): Verification {
  return {
    id: Number(r.id),
    ts: r.ts,
    ok: r.ok,
    checkedEvents: Number(r.checked_events),
    checkedCheckpoints: Number(r.checked_checkpoints),
    firstBrokenSeq: r.first_broken_seq == null ? null : Number(r.first_broken_seq),
    reason: r.reason,
    by: r.verified_by,
  };
}

/** Stores a verification result for the status screen and records who ran it in the audit log itself. */
export async function recordVerification(db: Database, result: VerifyResult, principal: Principal, origin: AuditOrigin): Promise<Verification> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<VerificationRow>(
      `insert into audit_verification (ok, checked_events, checked_checkpoints, first_broken_seq, reason, verified_by)
       values ($1, $2, $3, $4, $5, $6) returning ${COLS}`,
      [result.ok, result.checkedEvents, result.checkedCheckpoints, result.firstBroken?.seq ?? null, result.firstBroken?.reason ?? null, principal.username],
    );
    await appendAudit(
      tx,
      principal,
      [
        {
          kind: 'admin',
          action: 'audit.verify',
          objectType: 'audit_chain',
          objectId: String(row!.id),
          after: { ok: result.ok, checkedEvents: result.checkedEvents, checkedCheckpoints: result.checkedCheckpoints, firstBroken: result.firstBroken },
        },
      ],
      origin,
    );
    return fromRow(row!);
  });
}

export async function lastVerification(tx: Queryable): Promise<Verification | null> {
  const [row] = await tx.query<VerificationRow>(`select ${COLS} from audit_verification order by id desc limit 1`);
  return row ? fromRow(row) : null;
}
