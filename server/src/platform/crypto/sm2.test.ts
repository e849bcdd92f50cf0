import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CryptoError } from './errors.ts';
import { sm2Decrypt, sm2Encrypt, sm2GenerateKeyPair, sm2KeyPairMatches, sm2Sign, sm2Verify } from './sm2.ts';

// GB/T 32918.5-2017 (= GM/T 0003.5-2012) Annex A/C examples on the recommended curve, default user id.
// Same values appear in OpenSSL's sm2_internal_test.c and other independent implementations' test suites.
const STD = {
  d: '3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8',
  pub: '04' + '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020' + 'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13',
  message: 'message digest',
  r: 'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3',
  s: 'B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
  plaintext: 'encryption standard',
  // C1 = x1 || y1; x1 itself happens to start with 04, which exercises the prefix handling.
  c1: '04EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0',
  c3: '59983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD8766',
  c2: '21886CA989CA9C7D58087307CA93092D651EFA',
};
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const der = (r: bigint, s: bigint): string => {
  const int = (v: bigint) => {
    let h = v.toString(16);
    if (h.length % 2) h = `0${h}`;
    if (Number.parseInt(h.slice(0, 2), 16) & 0x80) h = `00${h}`;
    return `02${(h.length / 2).toString(16).padStart(2, '0')}${h}`;
  };
  const body = int(r) + int(s);
  return `30${(body.length / 2).toString(16).padStart(2, '0')}${body}`;
};
const STD_SIG = der(BigInt(`0x${STD.r}`), BigInt(`0x${STD.s}`));

test('published example: public key derives from the private key', () => {
  assert.ok(sm2KeyPairMatches(STD.d, STD.pub));
  assert.ok(!sm2KeyPairMatches(STD.d, sm2GenerateKeyPair().publicKey));
});

test('published example: signature verifies, and only for that message and key', () => {
  assert.equal(STD_SIG.slice(0, 4), '3046');
  assert.ok(sm2Verify(STD.message, STD_SIG, STD.pub));
  assert.ok(sm2Verify(Buffer.from(STD.message), STD_SIG, STD.pub.toLowerCase()));
  assert.ok(sm2Verify(STD.message, STD_SIG, STD.pub.slice(2)), 'x||y without 04 is accepted');
  assert.ok(!sm2Verify('message digesT', STD_SIG, STD.pub));
  assert.ok(!sm2Verify(STD.message, STD_SIG, sm2GenerateKeyPair().publicKey));
});

test('published example: ciphertext decrypts (C1C3C2, with or without the 04 prefix)', () => {
  const bare = STD.c1 + STD.c3 + STD.c2;
  assert.equal(Buffer.from(sm2Decrypt(bare, STD.d)).toString(), STD.plaintext);
  assert.equal(Buffer.from(sm2Decrypt(`04${bare}`.toLowerCase(), STD.d)).toString(), STD.plaintext);
  assert.throws(() => sm2Decrypt(STD.c1 + STD.c2 + STD.c3, STD.d), CryptoError, 'C1C2C3 order is not accepted');
});

test('key pair shape', () => {
  const kp = sm2GenerateKeyPair();
  assert.match(kp.privateKey, /^[0-9a-f]{64}$/);
  assert.match(kp.publicKey, /^04[0-9a-f]{128}$/);
  assert.ok(sm2KeyPairMatches(kp.privateKey, kp.publicKey));
  assert.notEqual(sm2GenerateKeyPair().privateKey, kp.privateKey);
});

test('sign/verify round trip; altered message, signature or key fail', () => {
  const kp = sm2GenerateKeyPair();
  for (const msg of ['审计日志 #42', new Uint8Array([0, 1, 2, 255]), '']) {
    const sig = sm2Sign(msg, kp.privateKey);
    assert.match(sig, /^30[0-9a-f]+$/);
    assert.ok(sm2Verify(msg, sig, kp.publicKey));
    assert.ok(!sm2Verify(typeof msg === 'string' ? `${msg}!` : new Uint8Array([...msg, 0]), sig, kp.publicKey));
    assert.ok(!sm2Verify(msg, sig, sm2GenerateKeyPair().publicKey));
    // Flip one bit in the last byte of s.
    const last = Number.parseInt(sig.slice(-2), 16) ^ 1;
    assert.ok(!sm2Verify(msg, sig.slice(0, -2) + last.toString(16).padStart(2, '0'), kp.publicKey));
  }
});

test('verify returns false (never throws) on malformed or non-canonical input', () => {
  const kp = sm2GenerateKeyPair();
  const sig = sm2Sign('x', kp.privateKey);
  const r = BigInt(`0x${STD.r}`);
  const s = BigInt(`0x${STD.s}`);
  for (const bad of ['', 'zz', '30', sig.slice(0, -2), `${sig}00`, `${sig.slice(0, 4)}0200${sig.slice(4)}`]) {
    assert.equal(sm2Verify('x', bad, kp.publicKey), false, bad);
  }
  assert.equal(sm2Verify(STD.message, der(r, s + N), STD.pub), false, 's + n must not verify');
  assert.equal(sm2Verify(STD.message, der(0n, s), STD.pub), false);
  assert.equal(sm2Verify(STD.message, STD_SIG, ''), false);
  assert.equal(sm2Verify(STD.message, STD_SIG, `04${'00'.repeat(64)}`), false, 'point not on curve');
  assert.equal(sm2Verify(STD.message, STD_SIG, 'not hex'), false);
});

test('encrypt/decrypt round trip', () => {
  const kp = sm2GenerateKeyPair();
  const ct = sm2Encrypt('身份证号 110101199003074518', kp.publicKey);
  assert.match(ct, /^[0-9a-f]+$/);
  assert.equal(Buffer.from(sm2Decrypt(ct, kp.privateKey)).toString(), '身份证号 110101199003074518');
  const bytes = new Uint8Array([0, 255, 7]);
  assert.deepEqual(Array.from(sm2Decrypt(sm2Encrypt(bytes, kp.publicKey), kp.privateKey)), [0, 255, 7]);
  assert.equal(sm2Decrypt(sm2Encrypt('', kp.publicKey), kp.privateKey).length, 0);
  assert.notEqual(sm2Encrypt('same', kp.publicKey), sm2Encrypt('same', kp.publicKey));
});

test('decrypt throws CryptoError for tampering, wrong key and garbage', () => {
  const kp = sm2GenerateKeyPair();
  const ct = sm2Encrypt('secret', kp.publicKey);
  const flip = (i: number) => ct.slice(0, i) + (ct[i] === '0' ? '1' : '0') + ct.slice(i + 1);
  for (const bad of [flip(10), flip(150), flip(ct.length - 1), ct.slice(0, -2), 'zz', '', '00'.repeat(200)]) {
    assert.throws(() => sm2Decrypt(bad, kp.privateKey), CryptoError);
  }
  assert.throws(() => sm2Decrypt(ct, sm2GenerateKeyPair().privateKey), CryptoError);
  assert.throws(() => sm2Encrypt('x', 'not a key'), CryptoError);
});
