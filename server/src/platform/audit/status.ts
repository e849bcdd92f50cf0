import type { Queryable } from '../db/types.ts';
import { CHECKPOINT_COLUMNS, type Checkpoint, type CheckpointRow, checkpointFromRow } from './checkpoint.ts';
import { lastAnchor } from './anchor.ts';
import { lastVerification, type Verification } from './record.ts';

export interface AuditStatus {
  head: { seq: number; hash: string };
  lastCheckpoint: Checkpoint | null;
  /** Events appended since the last checkpoint (not yet under an SM2 signature). */
  uncheckpointed: number;
  lastVerification: Verification | null;
  /** The checkpoints exported outside the database (null: no anchor file configured). */
  anchor: AnchorStatus | null;
}

export interface AnchorStatus {
  file: string;
  /** The newest exported checkpoint. */
  lastId: number | null;
  lastToSeq: number | null;
  /** Events not yet under an exported checkpoint: what only the database's own hash chain protects. */
  unanchored: number;
}

export async function auditStatus(tx: Queryable, anchorFile: string | null = null): Promise<AuditStatus> {
  const head = (await tx.query<{ seq: number; hash: string }>('select seq, hash from audit_head where id = 1'))[0]!; // seeded by the audit migration
  const [cp] = await tx.query<CheckpointRow>(`select ${CHECKPOINT_COLUMNS} from audit_checkpoint order by to_seq desc limit 1`);
  const lastCheckpoint = cp ? checkpointFromRow(cp) : null;
  return {
    head: { seq: Number(head.seq), hash: head.hash },
    lastCheckpoint,
    uncheckpointed: Number(head.seq) - (lastCheckpoint?.toSeq ?? 0),
    lastVerification: await lastVerification(tx),
    anchor: anchorFile ? anchorStatus(anchorFile, Number(head.seq)) : null,
  };
}

function anchorStatus(file: string, headSeq: number): AnchorStatus {
  const last = lastAnchor(file);
  return { file, lastId: last?.id ?? null, lastToSeq: last?.toSeq ?? null, unanchored: headSeq - (last?.toSeq ?? 0) };
}
