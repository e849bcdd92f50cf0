import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 6238 TOTP over RFC 4226 HOTP, with node:crypto only. Authenticator apps use SHA1, 6 digits, 30 s. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_ISSUER = 'weijian';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding (what authenticator apps expect in otpauth URIs). */
export function base32Encode(data: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Case-insensitive; spaces, hyphens and '=' padding are ignored (people copy secrets by hand). */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new RangeError('base32 字符不合法 / invalid base32 character');
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export function hotp(key: Uint8Array, counter: number | bigint, digits = TOTP_DIGITS, algorithm: TotpAlgorithm = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(bin).padStart(digits, '0');
}

export function totpStep(timeMs: number, period = TOTP_PERIOD_SECONDS): number {
  return Math.floor(timeMs / 1000 / period);
}

export interface TotpOptions {
  digits?: number;
  period?: number;
  algorithm?: TotpAlgorithm;
}

/** The code for a base32 secret (or raw key) at a time. */
export function totpCode(secret: string | Uint8Array, timeMs = Date.now(), opts: TotpOptions = {}): string {
  const key = typeof secret === 'string' ? base32Decode(secret) : secret;
  return hotp(key, totpStep(timeMs, opts.period), opts.digits ?? TOTP_DIGITS, opts.algorithm);
}

export interface VerifyOptions extends TotpOptions {
  timeMs?: number;
  /** Steps accepted either side of now (clock drift): default 1. */
  window?: number;
  /** The last accepted step: that step and earlier ones are refused, so a code works once. */
  lastStep?: number | null;
}

/** The matched time step, or null. Compares in constant time per candidate. */
export function verifyTotp(secret: string, code: string, opts: VerifyOptions = {}): number | null {
  const digits = opts.digits ?? TOTP_DIGITS;
  if (!new RegExp(`^\\d{${digits}}$`).test(code)) return null;
  const key = base32Decode(secret);
  const now = totpStep(opts.timeMs ?? Date.now(), opts.period);
  const window = opts.window ?? 1;
  const given = Buffer.from(code);
  let matched: number | null = null;
  for (let step = now - window; step <= now + window; step++) {
    const expected = Buffer.from(hotp(key, step, digits, opts.algorithm));
    const fresh = opts.lastStep == null || step > opts.lastStep;
    if (timingSafeEqual(given, expected) && fresh && matched === null) matched = step;
  }
  return matched;
}

/** 160 random bits, the RFC 4226 recommended key length for SHA1. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

export function otpauthUri(username: string, secret: string): string {
  return `otpauth://totp/${TOTP_ISSUER}:${encodeURIComponent(username)}?secret=${secret}&issuer=${TOTP_ISSUER}`;
}
