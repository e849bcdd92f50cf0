import { checkDigit } from '../platform/util/resident-id.ts';

/**
 * Finds personal data in clear in a text: 18-digit resident IDs (GB 11643, valid date and check digit) and
 * mainland mobile numbers (1[3-9] + 9 digits), each standing alone (not inside a longer run of digits).
 * Sealed tokens (v1.<kid>.<base64url>) and long hex strings (blind indexes, hashes) are removed first: their
 * characters can spell digits by chance.
 */
export interface Hit {
  kind: 'resident-id' | 'phone';
  /** The value masked, for the failure message (a test report is no place for the clear value). */
  masked: string;
}

const TOKEN = /v\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16,}/g;
const HEX = /[0-9a-fA-F]{32,}/g;
const ID = /(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
const PHONE = /(?<![0-9])1[3-9]\d{9}(?![0-9])/g;

/** The same shapes as a PostgreSQL regular expression, to pre-filter rows in SQL (the JS check decides). */
export const SQL_PREFILTER = '([1-9][0-9]{5}(18|19|20)[0-9]{9}[0-9Xx]|1[3-9][0-9]{9})';

export function findClear(text: string): Hit[] {
  const s = text.replace(TOKEN, ' ').replace(HEX, ' ');
  const hits: Hit[] = [];
  for (const m of s.matchAll(ID)) {
    const id = m[0].toUpperCase();
    if (checkDigit(id.slice(0, 17)) === id[17]) hits.push({ kind: 'resident-id', masked: `${id.slice(0, 4)}**********${id.slice(-4)}` });
  }
  for (const m of s.matchAll(PHONE)) hits.push({ kind: 'phone', masked: `${m[0].slice(0, 3)}****${m[0].slice(-4)}` });
  return hits;
}
