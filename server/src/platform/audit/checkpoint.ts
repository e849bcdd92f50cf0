import { sm3Hex } from '../crypto/sm3.ts';
import type { Queryable } from '../db/types.ts';
import { conflict } from '../http/errors.ts';
import { anchorRecord } from './anchor-record.ts';
import { MerkleBuilder } from './merkle.ts';
import { enqueueWitness } from './witness.ts';

/** What createCheckpoint needs of the key ring (kernel.keys). */
export interface CheckpointSigner {
  readonly sm2PublicKey: string;
  sm2Sign(message: string): string;
}

export interface Checkpoint {
  id: number;
  fromSeq: number;
  toSeq: number;
  merkleRoot: string;
  headHash: string;
  keyId: string;
  publicKey: string;
  signature: string;
  createdAt: Date;
}

export interface CheckpointRow {
  id: number;
  from_seq: number;
  to_seq: number;
  merkle_root: string;
  head_hash: string;
  key_id: string;
  public_key: string;
  signature: string;
  created_at: Date;
}

export const CHECKPOINT_COLUMNS = 'id, from_seq, to_seq, merkle_root, head_hash, key_id, public_key, signature, created_at';

export function checkpointFromRow(r: CheckpointRow): Checkpoint {
  return {
    id: Number(r.id),
    fromSeq: Number(r.from_seq),
    toSeq: Number(r.to_seq),
    merkleRoot: r.merkle_root,
    headHash: r.head_hash,
    keyId: r.key_id,
    publicKey: r.public_key,
    signature: r.signature,
    createdAt: r.created_at,
  };
}

/** 'sm2-' + the first 16 hex of SM3 over the public key's bytes (uncompressed point). */
export function keyIdOf(publicKeyHex: string): string {
  return `sm2-${sm3Hex(Buffer.from(publicKeyHex.toLowerCase(), 'hex')).slice(0, 16)}`;
}

/** The exact text that is signed: `from|to|merkleRoot|headHash`. */
export function checkpointMessage(fromSeq: number, toSeq: number, merkleRoot: string, headHash: string): string {
  return `${fromSeq}|${toSeq}|${merkleRoot}|${headHash}`;
}

const PAGE = 5000;
// Serialises checkpoint creation so two processes never sign overlapping ranges.
const LOCK_KEY = 'weijian.audit.checkpoint';

/**
 * Signs the events after the last checkpoint up to the current head: their Merkle root and the head
 * hash, with the platform SM2 key. Returns null when nothing new was appended. Run it as the table
 * owner or in city scope: the root must cover every district's events.
 * A very long stretch is split (maxEvents) and the rest is left for the next run. The checkpoint is
 * queued for the audit witness in the same transaction (unless witness: false); the caller exports it
 * to the anchor file after commit (anchor.ts).
 */
export async function createCheckpoint(
  tx: Queryable,
  keys: CheckpointSigner,
  opts: { maxEvents?: number; witness?: boolean } = {},
): Promise<Checkpoint | null> {
  const maxEvents = opts.maxEvents ?? 1_000_000;
  await tx.query('select pg_advisory_xact_lock(hashtext($1))', [LOCK_KEY]);
  const [last] = await tx.query<{ to_seq: number }>('select to_seq from audit_checkpoint order by to_seq desc limit 1');
  const [head] = await tx.query<{ seq: number }>('select seq from audit_head where id = 1');
  const fromSeq = Number(last?.to_seq ?? 0) + 1;
  const toSeq = Math.min(Number(head!.seq), fromSeq + maxEvents - 1);
  if (toSeq < fromSeq) return null;

  const tree = new MerkleBuilder();
  let cursor = fromSeq - 1;
  let headHash = '';
  while (cursor < toSeq) {
    const rows = await tx.query<{ seq: number; hash: string }>('select seq, hash from audit_event where seq > $1 and seq <= $2 order by seq limit $3', [
      cursor,
      toSeq,
      PAGE,
    ]);
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      // Signing over a hole would certify a broken chain: refuse, verification will say where.
      if (seq !== cursor + 1) throw gap(cursor + 1, seq - 1);
      tree.push(r.hash);
      headHash = r.hash;
      cursor = seq;
    }
  }
  if (cursor !== toSeq) throw gap(cursor + 1, toSeq);

  const merkleRoot = tree.root();
  const publicKey = keys.sm2PublicKey;
  const signature = keys.sm2Sign(checkpointMessage(fromSeq, toSeq, merkleRoot, headHash));
  const [row] = await tx.query<CheckpointRow>(
    `insert into audit_checkpoint (from_seq, to_seq, merkle_root, head_hash, key_id, public_key, signature)
     values ($1, $2, $3, $4, $5, $6, $7) returning ${CHECKPOINT_COLUMNS}`,
    [fromSeq, toSeq, merkleRoot, headHash, keyIdOf(publicKey), publicKey, signature],
  );
  const cp = checkpointFromRow(row!);
  // The chain's identity is event 1's hash; the range signed here starts at or after it.
  const [first] = await tx.query<{ hash: string }>('select hash from audit_event where seq = 1');
  if (first && opts.witness !== false) await enqueueWitness(tx, anchorRecord(cp, first.hash));
  return cp;
}

/** 409 naming the missing events: a conflict with the log's state, not a server fault. */
function gap(from: number, to: number) {
  const which = from === to ? `第 ${from} 条` : `第 ${from}–${to} 条`;
  return conflict(`审计链缺少${which}事件（序号不连续），无法创建检查点；请运行审计链校验（weijian audit verify）查明断点`);
}
