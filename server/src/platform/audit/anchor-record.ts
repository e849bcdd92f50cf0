import type { Checkpoint } from './checkpoint.ts';

/** One exported checkpoint: a line of the anchor file (anchor.ts) and the body pushed to the witness (witness.ts). */
export interface AnchorRecord {
  v: 1;
  /** The hash of event 1: which chain this is (a re-created database starts another chain). */
  chain: string;
  id: number;
  fromSeq: number;
  toSeq: number;
  merkleRoot: string;
  headHash: string;
  keyId: string;
  publicKey: string;
  signature: string;
  createdAt: string;
}

export function anchorRecord(cp: Checkpoint, chain: string): AnchorRecord {
  return {
    v: 1,
    chain,
    id: cp.id,
    fromSeq: cp.fromSeq,
    toSeq: cp.toSeq,
    merkleRoot: cp.merkleRoot,
    headHash: cp.headHash,
    keyId: cp.keyId,
    publicKey: cp.publicKey,
    signature: cp.signature,
    createdAt: new Date(cp.createdAt).toISOString(),
  };
}
