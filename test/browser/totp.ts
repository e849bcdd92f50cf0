import { createHmac } from 'node:crypto';

/** RFC 6238 TOTP (SHA1, 6 digits, 30 s) — what the server and authenticator apps use. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new RangeError(`invalid base32 character: ${ch}`);
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function hotp(key: Uint8Array, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

export const totpStep = (timeMs = Date.now()) => Math.floor(timeMs / 30_000);

export function totp(secret: string, timeMs = Date.now()): string {
  return hotp(base32Decode(secret), totpStep(timeMs));
}

// The server accepts each time step once per user: remember what was used and wait for a fresh step.
const usedStep = new Map<string, number>();

/** A code for `secret` that this process has not used yet (waits for the next 30 s step if needed). */
export async function freshTotp(secret: string): Promise<string> {
  const key = secret.replace(/\s/g, '').toUpperCase();
  while (usedStep.get(key) !== undefined && totpStep() <= usedStep.get(key)!) {
    await new Promise((r) => setTimeout(r, 500));
  }
  // Too close to the end of a step: the code could expire in flight.
  if (30_000 - (Date.now() % 30_000) < 2_000) await new Promise((r) => setTimeout(r, 2_500));
  usedStep.set(key, totpStep());
  return totp(key);
}

/** RFC 6238 appendix B vector (SHA1, T=59 s, 8 digits → 94287082; 6 digits → 287082). */
export const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
