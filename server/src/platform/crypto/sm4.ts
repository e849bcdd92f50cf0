import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { CryptoError } from './errors.ts';
import { hmacSm3 } from './sm3.ts';

export { CryptoError } from './errors.ts';

const BLOCK = 16;
const TAG = 32;
const EMPTY = Buffer.alloc(0);

/** One raw SM4 block (GB/T 32907); only for known-answer tests, never for data. */
export function sm4EncryptBlockEcb(key: Buffer, block: Buffer): Buffer {
  if (block.length !== BLOCK) throw new RangeError('SM4 block must be 16 bytes');
  const c = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

function checkKeys(encKey: Buffer, macKey: Buffer): void {
  if (encKey.length !== 16) throw new RangeError('SM4 key must be 16 bytes');
  if (macKey.length !== 32) throw new RangeError('MAC key must be 32 bytes');
}

function tagOf(macKey: Buffer, aad: Buffer, ivAndCt: Buffer): Buffer {
  // Length-prefix the AAD so (aad, iv||ct) boundaries cannot be shifted.
  const len = Buffer.alloc(8);
  len.writeBigUInt64BE(BigInt(aad.length));
  return hmacSm3(macKey, Buffer.concat([len, aad, ivAndCt]));
}

/**
 * SM4-CBC + HMAC-SM3, encrypt-then-MAC (SM4-GCM is not in node:crypto).
 * Output: iv(16) || ciphertext || tag(32), tag = HMAC-SM3(macKey, len64(aad) || aad || iv || ciphertext).
 */
export function sm4Seal(encKey: Buffer, macKey: Buffer, plaintext: Buffer, aad: Buffer = EMPTY): Buffer {
  checkKeys(encKey, macKey);
  const iv = randomBytes(BLOCK);
  const c = createCipheriv('sm4-cbc', encKey, iv);
  const ivAndCt = Buffer.concat([iv, c.update(plaintext), c.final()]);
  return Buffer.concat([ivAndCt, tagOf(macKey, aad, ivAndCt)]);
}

/** Verifies the tag (constant time) before touching the ciphertext, so there is no padding oracle. */
export function sm4Open(encKey: Buffer, macKey: Buffer, sealed: Buffer, aad: Buffer = EMPTY): Buffer {
  checkKeys(encKey, macKey);
  const ctLen = sealed.length - BLOCK - TAG;
  if (ctLen < BLOCK || ctLen % BLOCK !== 0) throw new CryptoError('密文校验失败');
  const ivAndCt = sealed.subarray(0, sealed.length - TAG);
  const tag = sealed.subarray(sealed.length - TAG);
  if (!timingSafeEqual(tag, tagOf(macKey, aad, ivAndCt))) throw new CryptoError('密文校验失败');
  try {
    const d = createDecipheriv('sm4-cbc', encKey, ivAndCt.subarray(0, BLOCK));
    return Buffer.concat([d.update(ivAndCt.subarray(BLOCK)), d.final()]);
  } catch {
    // Valid tag but bad padding: only a holder of macKey could have produced this.
    throw new CryptoError('密文校验失败');
  }
}
