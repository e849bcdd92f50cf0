// GB/T 32918 SM2 on the recommended curve sm2p256v1, via sm-crypto-v2.
// (node:crypto's "SM2" key type does not implement the GB/T signature with Z value.)
import { sm2 } from 'sm-crypto-v2';
import { CryptoError } from './errors.ts';

/** Curve order n of sm2p256v1. */
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const HEX = /^(?:[0-9a-f]{2})*$/i;

export interface Sm2KeyPair {
  /** 64 hex chars. */
  privateKey: string;
  /** Uncompressed point, 130 hex chars starting with 04. */
  publicKey: string;
}

export function sm2GenerateKeyPair(): Sm2KeyPair {
  const { privateKey, publicKey } = sm2.generateKeyPairHex();
  return { privateKey, publicKey };
}

/** Signs SM3(Z || M) with the default user id 1234567812345678 (GM/T 0009); DER-encoded hex. */
export function sm2Sign(message: string | Uint8Array, privateKeyHex: string): string {
  if (!/^[0-9a-f]{64}$/i.test(privateKeyHex)) throw new RangeError('SM2 private key must be 64 hex chars');
  return sm2.doSignature(message, privateKeyHex, { hash: true, der: true });
}

/** False (never throws) for a bad signature, malformed DER, out-of-range r/s or an invalid public key. */
export function sm2Verify(message: string | Uint8Array, signatureHex: string, publicKeyHex: string): boolean {
  try {
    const rs = decodeDerSignature(signatureHex);
    const pub = normalizePublicKey(publicKeyHex);
    if (!rs || !pub || !sm2.verifyPublicKey(pub)) return false;
    // The library reduces r+s mod n without range checks; rejecting r,s ∉ [1, n-1] here stops s+n malleability.
    const raw = rs.r.toString(16).padStart(64, '0') + rs.s.toString(16).padStart(64, '0');
    return sm2.doVerifySignature(message, raw, pub, { hash: true });
  } catch {
    return false;
  }
}

/**
 * C1C3C2, hex. Like sm-crypto (common on the browser side) C1 is x||y without the 04 prefix;
 * sm2Decrypt accepts both forms.
 */
export function sm2Encrypt(plaintext: string | Uint8Array, publicKeyHex: string): string {
  const pub = normalizePublicKey(publicKeyHex);
  if (!pub || !sm2.verifyPublicKey(pub)) throw new CryptoError('SM2 公钥无效');
  return sm2.doEncrypt(plaintext, pub, 1);
}

export function sm2Decrypt(ciphertextHex: string, privateKeyHex: string): Uint8Array {
  // C1 (128) + C3 (64) at least; the C3 check inside the library authenticates the result.
  if (ciphertextHex.length < 192 || !HEX.test(ciphertextHex)) throw new CryptoError('SM2 解密失败');
  const candidates = [ciphertextHex];
  // BouncyCastle/OpenSSL-style output carries 04||x||y; the C3 check makes trying both unambiguous.
  if (ciphertextHex.startsWith('04') && ciphertextHex.length >= 194) candidates.push(ciphertextHex.slice(2));
  for (const c of candidates) {
    try {
      const out: unknown = sm2.doDecrypt(c, privateKeyHex, 1, { output: 'array' });
      // On a C3 mismatch the library returns a plain [] instead of throwing.
      if (out instanceof Uint8Array) return out;
    } catch {
      // C1 not on the curve etc.: try the next form.
    }
  }
  throw new CryptoError('SM2 解密失败');
}

/** True when publicKeyHex is the point for privateKeyHex (catches mismatched pairs in config). */
export function sm2KeyPairMatches(privateKeyHex: string, publicKeyHex: string): boolean {
  try {
    const pub = normalizePublicKey(publicKeyHex);
    return pub !== null && sm2.comparePublicKeyHex(sm2.getPublicKeyFromPrivateKey(privateKeyHex), pub);
  } catch {
    return false;
  }
}

function normalizePublicKey(hex: string): string | null {
  if (!HEX.test(hex)) return null;
  if (hex.length === 128) return `04${hex}`;
  if (hex.length === 130 && hex.startsWith('04')) return hex;
  if (hex.length === 66 && (hex.startsWith('02') || hex.startsWith('03'))) return hex;
  return null;
}

/** Strict DER: SEQUENCE { INTEGER r, INTEGER s }, minimal encodings, nothing trailing. */
function decodeDerSignature(hex: string): { r: bigint; s: bigint } | null {
  if (!HEX.test(hex)) return null;
  const b = Buffer.from(hex, 'hex');
  if (b.length < 8 || b[0] !== 0x30 || b[1] !== b.length - 2) return null;
  let pos = 2;
  const readInt = (): bigint | null => {
    if (b[pos] !== 0x02) return null;
    const len = b[pos + 1];
    const start = pos + 2;
    if (len === undefined || len < 1 || len > 33 || start + len > b.length) return null;
    const v = b.subarray(start, start + len);
    if (v[0]! & 0x80) return null; // negative
    if (len > 1 && v[0] === 0 && !(v[1]! & 0x80)) return null; // non-minimal
    pos = start + len;
    const n = BigInt(`0x${v.toString('hex')}`);
    return n >= 1n && n < N ? n : null;
  };
  const r = readInt();
  const s = r === null ? null : readInt();
  if (r === null || s === null || pos !== b.length) return null;
  return { r, s };
}
