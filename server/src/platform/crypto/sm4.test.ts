import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { CryptoError, sm4EncryptBlockEcb, sm4Open, sm4Seal } from './sm4.ts';

const STD = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');

test('SM4 GB/T 32907 example 1: one block', () => {
  assert.equal(sm4EncryptBlockEcb(STD, STD).toString('hex'), '681edf34d206965e86b3e94f536e4246');
  assert.throws(() => sm4EncryptBlockEcb(STD, Buffer.alloc(15)), RangeError);
});

test('SM4 GB/T 32907 example 2: 1,000,000 iterations', () => {
  // One streaming ECB context (same primitive as sm4EncryptBlockEcb); a cipher per block takes ~4 s.
  const c = createCipheriv('sm4-ecb', STD, null).setAutoPadding(false);
  let b = STD;
  for (let i = 0; i < 1_000_000; i++) b = c.update(b);
  assert.equal(b.toString('hex'), '595298c7c6fd271f0402f804c33d3f66');
});

const enc = randomBytes(16);
const mac = randomBytes(32);
const aad = Buffer.from('v1.k1');

test('seal/open round trip, including empty and multi-block plaintexts', () => {
  for (const len of [0, 1, 15, 16, 17, 100]) {
    const pt = randomBytes(len);
    const sealed = sm4Seal(enc, mac, pt, aad);
    assert.equal(sealed.length, 16 + (Math.floor(len / 16) + 1) * 16 + 32);
    assert.deepEqual(sm4Open(enc, mac, sealed, aad), pt);
  }
  const noAad = sm4Seal(enc, mac, Buffer.from('x'));
  assert.equal(sm4Open(enc, mac, noAad).toString(), 'x');
});

test('random IV: same plaintext seals differently', () => {
  const pt = Buffer.from('110101199003074518');
  assert.notDeepEqual(sm4Seal(enc, mac, pt, aad), sm4Seal(enc, mac, pt, aad));
});

test('flipping any byte (iv, ciphertext, tag) fails', () => {
  const sealed = sm4Seal(enc, mac, Buffer.from('张三 13800138000'), aad);
  for (let i = 0; i < sealed.length; i++) {
    const bad = Buffer.from(sealed);
    bad[i]! ^= 0x01;
    assert.throws(
      () => sm4Open(enc, mac, bad, aad),
      (e: unknown) => e instanceof CryptoError && e.message === '密文校验失败',
      `byte ${i}`,
    );
  }
});

test('wrong aad, wrong keys, truncation and extension fail', () => {
  const sealed = sm4Seal(enc, mac, Buffer.from('secret'), aad);
  assert.throws(() => sm4Open(enc, mac, sealed, Buffer.from('v1.k2')), CryptoError);
  assert.throws(() => sm4Open(enc, mac, sealed), CryptoError);
  assert.throws(() => sm4Open(enc, randomBytes(32), sealed, aad), CryptoError);
  // A wrong encryption key under the right MAC key passes the tag; CBC padding then fails — except for
  // the ~1/256 keys whose garbage happens to end in valid padding. Either way the plaintext never comes back.
  for (let i = 0; i < 20; i++) {
    try {
      assert.notDeepEqual(sm4Open(randomBytes(16), mac, sealed, aad), Buffer.from('secret'));
    } catch (e) {
      assert.ok(e instanceof CryptoError, String(e));
    }
  }
  assert.throws(() => sm4Open(enc, mac, sealed.subarray(0, sealed.length - 1), aad), CryptoError);
  assert.throws(() => sm4Open(enc, mac, Buffer.concat([sealed, Buffer.alloc(16)]), aad), CryptoError);
  assert.throws(() => sm4Open(enc, mac, Buffer.alloc(0), aad), CryptoError);
});

test('moving AAD bytes into the IV does not verify', () => {
  // With a plain aad||iv||ct MAC, shifting a 16-byte aad suffix into the sealed data would keep the tag valid.
  const longAad = Buffer.from('0123456789abcdef0123456789abcdef');
  const sealed = sm4Seal(enc, mac, Buffer.from('secret'), longAad);
  const shifted = Buffer.concat([longAad.subarray(16), sealed]);
  assert.throws(() => sm4Open(enc, mac, shifted, longAad.subarray(0, 16)), CryptoError);
});

test('rejects wrong key sizes', () => {
  assert.throws(() => sm4Seal(randomBytes(15), mac, Buffer.from('x')), RangeError);
  assert.throws(() => sm4Seal(enc, randomBytes(16), Buffer.from('x')), RangeError);
});
