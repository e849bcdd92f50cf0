import { createHash } from 'node:crypto';

// Domain separation (as in RFC 6962): a leaf can never be passed off as an inner node or vice versa.
const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

function hexToBytes(hex: string): Buffer {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new RangeError(`not an SM3 hex digest: ${hex.slice(0, 80)}`);
  return Buffer.from(hex, 'hex');
}

// SM3 straight from node:crypto (as crypto/sm3.ts does), fed in parts: no concatenated copies per node.
export function merkleLeaf(eventHashHex: string): Buffer {
  return createHash('sm3').update(LEAF).update(hexToBytes(eventHashHex)).digest();
}

export function merkleNode(left: Buffer, right: Buffer): Buffer {
  return createHash('sm3').update(NODE).update(left).update(right).digest();
}

/**
 * SM3 Merkle root over event hashes (hex), pairing left to right level by level; an odd level
 * pairs its last node with itself. Returns hex. A single event's root is its leaf hash.
 */
export function merkleRoot(eventHashes: readonly string[]): string {
  if (eventHashes.length === 0) throw new RangeError('merkle root of nothing');
  let level = eventHashes.map(merkleLeaf);
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(merkleNode(level[i]!, level[i + 1] ?? level[i]!));
    level = next;
  }
  return level[0]!.toString('hex');
}

/**
 * The same root computed while streaming (O(log n) memory), so verification of a checkpoint over
 * millions of events never holds them all. Equal to merkleRoot() for every n (see merkle.test.ts).
 */
export class MerkleBuilder {
  // Completed subtrees of distinct heights, highest first (the binary digits of count).
  private readonly stack: { height: number; hash: Buffer }[] = [];
  count = 0;

  push(eventHashHex: string): void {
    let node = { height: 0, hash: merkleLeaf(eventHashHex) };
    this.count++;
    for (let top = this.stack.at(-1); top && top.height === node.height; top = this.stack.at(-1)) {
      this.stack.pop();
      node = { height: node.height + 1, hash: merkleNode(top.hash, node.hash) };
    }
    this.stack.push(node);
  }

  root(): string {
    if (this.stack.length === 0) throw new RangeError('merkle root of nothing');
    // The lowest subtree is the lone last node of its level: it pairs with itself until it reaches
    // the height of the subtree to its left, then joins it, and the result carries on upwards.
    let carry = this.stack[this.stack.length - 1]!;
    for (let i = this.stack.length - 2; i >= 0; i--) {
      const left = this.stack[i]!;
      let h = carry.hash;
      for (let height = carry.height; height < left.height; height++) h = merkleNode(h, h);
      carry = { height: left.height + 1, hash: merkleNode(left.hash, h) };
    }
    return carry.hash.toString('hex');
  }
}
