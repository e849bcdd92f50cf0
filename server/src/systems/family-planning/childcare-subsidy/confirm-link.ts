import { randomBytes, timingSafeEqual } from 'node:crypto';
import { sm3Hex } from '../../../platform/crypto/index.ts';

/**
 * The parent's one-time confirmation link: `<applicationId>.<expiry (epoch s)>.<random>.<signature>`.
 * The signature is HMAC-SM3 (the key ring's keyed hash) over id, expiry and random part, so changing
 * the id or the expiry fails; only the SM3 digest of the random part is stored, so the database alone
 * cannot rebuild a link.
 */
export const LINK_DAYS = 7;
const DOMAIN = 'childcare-subsidy.confirm-link';

export type Mac = (message: string, domain: string) => string;

export interface IssuedLink {
  token: string;
  digest: string;
  expiresAt: Date;
}

export function issueLink(mac: Mac, applicationId: number, now = new Date(), days = LINK_DAYS): IssuedLink {
  const expiresAt = new Date(Math.floor(now.getTime() / 1000) * 1000 + days * 86_400_000);
  const exp = Math.floor(expiresAt.getTime() / 1000);
  const random = randomBytes(24).toString('base64url');
  const body = `${applicationId}.${exp}.${random}`;
  return { token: `${body}.${sign(mac, body)}`, digest: digestOf(random), expiresAt };
}

function sign(mac: Mac, body: string): string {
  return mac(body, DOMAIN).slice(0, 32);
}

export function digestOf(random: string): string {
  return sm3Hex(random);
}

export type ParsedLink = { ok: true; applicationId: number; expiresAt: Date; digest: string } | { ok: false };

/** Checks the form and the signature (not the expiry, not the database). */
export function parseLink(mac: Mac, token: string): ParsedLink {
  const m = /^([1-9]\d{0,15})\.(\d{9,11})\.([A-Za-z0-9_-]{32})\.([0-9a-f]{32})$/.exec(token);
  if (!m) return { ok: false };
  const expected = Buffer.from(sign(mac, `${m[1]}.${m[2]}.${m[3]}`));
  const given = Buffer.from(m[4]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false };
  return { ok: true, applicationId: Number(m[1]), expiresAt: new Date(Number(m[2]) * 1000), digest: digestOf(m[3]!) };
}
