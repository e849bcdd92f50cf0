import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hmacSm3, sm3, sm3Hex } from './sm3.ts';

test('SM3 GB/T 32905 example 1: "abc"', () => {
  assert.equal(sm3Hex('abc'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  assert.equal(sm3(Buffer.from('abc')).toString('hex'), sm3Hex('abc'));
});

test('SM3 GB/T 32905 example 2: "abcd" x 16 (64 bytes)', () => {
  assert.equal(sm3Hex('abcd'.repeat(16)), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
});

test('HMAC-SM3 matches the RFC 2104 construction built from sm3()', () => {
  const key = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');
  const block = Buffer.alloc(64);
  key.copy(block);
  const xor = (b: Buffer, v: number) => Buffer.from(b.map((x) => x ^ v));
  const expected = sm3(Buffer.concat([xor(block, 0x5c), sm3(Buffer.concat([xor(block, 0x36), Buffer.from('data')]))]));
  assert.deepEqual(hmacSm3(key, 'data'), expected);
  assert.notDeepEqual(hmacSm3(Buffer.from('other'), 'data'), expected);
  assert.equal(hmacSm3(key, 'data').length, 32);
});
