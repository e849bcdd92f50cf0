import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base32Decode, base32Encode, hotp, newTotpSecret, otpauthUri, totpCode, totpStep, verifyTotp } from './totp.ts';

// RFC 6238 appendix B, SHA1 rows: the seed is the ASCII string "12345678901234567890".
const SEED = Buffer.from('12345678901234567890', 'ascii');
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

test('RFC 6238 appendix B vectors (SHA1, 8 digits, and their 6-digit truncation)', () => {
  for (const [seconds, code] of VECTORS) {
    assert.equal(totpCode(SEED, seconds * 1000, { digits: 8 }), code, `T=${seconds}`);
    assert.equal(totpCode(base32Encode(SEED), seconds * 1000), code.slice(2), `T=${seconds} 6 digits`);
  }
});

test('RFC 4226 appendix D HOTP values', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  for (const [counter, code] of expected.entries()) assert.equal(hotp(SEED, counter), code);
});

test('base32 round trip and RFC 4648 vectors', () => {
  assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
  assert.equal(base32Encode(Buffer.from('f')), 'MY');
  assert.equal(base32Decode('mzxw 6ytb-oi======').toString(), 'foobar');
  for (let n = 0; n < 40; n++) {
    const b = Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff));
    assert.deepEqual(base32Decode(base32Encode(b)), b);
  }
  assert.throws(() => base32Decode('ABC1'), RangeError);
  assert.match(newTotpSecret(), /^[A-Z2-7]{32}$/);
});

test('verify accepts ±1 step, refuses further drift, bad shapes and replays', () => {
  const secret = newTotpSecret();
  const now = 1_700_000_000_000;
  const step = totpStep(now);
  assert.equal(verifyTotp(secret, totpCode(secret, now), { timeMs: now }), step);
  assert.equal(verifyTotp(secret, totpCode(secret, now - 30_000), { timeMs: now }), step - 1);
  assert.equal(verifyTotp(secret, totpCode(secret, now + 30_000), { timeMs: now }), step + 1);
  assert.equal(verifyTotp(secret, totpCode(secret, now - 60_000), { timeMs: now }), null);
  assert.equal(verifyTotp(secret, totpCode(secret, now + 60_000), { timeMs: now }), null);
  assert.equal(verifyTotp(secret, '12345', { timeMs: now }), null);
  assert.equal(verifyTotp(secret, 'abcdef', { timeMs: now }), null);
  // Accepted once: the same step (or an older one) is refused afterwards.
  assert.equal(verifyTotp(secret, totpCode(secret, now), { timeMs: now, lastStep: step }), null);
  assert.equal(verifyTotp(secret, totpCode(secret, now - 30_000), { timeMs: now, lastStep: step }), null);
  assert.equal(verifyTotp(secret, totpCode(secret, now + 30_000), { timeMs: now, lastStep: step }), step + 1);
});

test('otpauth URI', () => {
  assert.equal(otpauthUri('zhang.san', 'ABCDEF'), 'otpauth://totp/weijian:zhang.san?secret=ABCDEF&issuer=weijian');
});
