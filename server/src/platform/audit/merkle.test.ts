import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sm3, sm3Hex } from '../crypto/sm3.ts';
import { MerkleBuilder, merkleLeaf, merkleNode, merkleRoot } from './merkle.ts';

const h = (i: number) => sm3Hex(`event ${i}`);
const leaf = (i: number) => sm3(Buffer.concat([Buffer.from([0]), Buffer.from(h(i), 'hex')]));
const node = (l: Buffer, r: Buffer) => sm3(Buffer.concat([Buffer.from([1]), l, r]));

test('one event: the root is its domain-separated leaf hash', () => {
  assert.equal(merkleRoot([h(1)]), leaf(1).toString('hex'));
  assert.notEqual(merkleRoot([h(1)]), h(1));
});

test('two and three events by hand; an odd level duplicates its last node', () => {
  assert.equal(merkleRoot([h(1), h(2)]), node(leaf(1), leaf(2)).toString('hex'));
  const three = node(node(leaf(1), leaf(2)), node(leaf(3), leaf(3)));
  assert.equal(merkleRoot([h(1), h(2), h(3)]), three.toString('hex'));
  const five = node(
    node(node(leaf(1), leaf(2)), node(leaf(3), leaf(4))),
    (() => {
      const ee = node(leaf(5), leaf(5));
      return node(ee, ee);
    })(),
  );
  assert.equal(merkleRoot([1, 2, 3, 4, 5].map(h)), five.toString('hex'));
});

test('leaves and nodes are domain separated', () => {
  // A two-leaf node's bytes reused as a "leaf" must not give the same root.
  const inner = merkleNode(merkleLeaf(h(1)), merkleLeaf(h(2))).toString('hex');
  assert.notEqual(merkleRoot([inner]), merkleRoot([h(1), h(2)]));
});

test('order, content and count all change the root', () => {
  const base = merkleRoot([1, 2, 3, 4].map(h));
  assert.notEqual(merkleRoot([2, 1, 3, 4].map(h)), base);
  assert.notEqual(merkleRoot([1, 2, 3, 5].map(h)), base);
  assert.notEqual(merkleRoot([1, 2, 3, 4, 4].map(h)), base);
});

test('the streaming builder equals the level-by-level root for 1..130 events', () => {
  const hashes: string[] = [];
  const b = new MerkleBuilder();
  for (let i = 1; i <= 130; i++) {
    hashes.push(h(i));
    b.push(h(i));
    assert.equal(b.root(), merkleRoot(hashes), `n=${i}`);
  }
  assert.equal(b.count, 130);
});

test('empty input and malformed hashes are refused', () => {
  assert.throws(() => merkleRoot([]), RangeError);
  assert.throws(() => new MerkleBuilder().root(), RangeError);
  assert.throws(() => merkleRoot(['abc']), RangeError);
});
