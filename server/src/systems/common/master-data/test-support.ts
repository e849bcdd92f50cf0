import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkDigit } from '../../../platform/util/resident-id.ts';

/** Repository root (server/src/systems/common/master-data → five levels up). */
const REPO_ROOT = new URL('../../../../../', import.meta.url);

/**
 * Reference data beside the repository (../shared/data); tests only, never shipped. Returns null when
 * the folder is missing (e.g. a CI checkout without it), so the test can skip.
 */
export function sharedDataPath(relative: string): string | null {
  const p = fileURLToPath(new URL(`../shared/data/${relative}`, REPO_ROOT));
  return existsSync(p) ? p : null;
}

/** A valid 18-digit resident ID: region, birth date YYYYMMDD, 3-digit sequence (odd = male). */
export function makeResidentId(region: string, birth: string, seq: string): string {
  const first17 = `${region}${birth.replaceAll('-', '')}${seq}`;
  return first17 + checkDigit(first17);
}

/** The same number with a wrong check digit. */
export function withBadCheckDigit(id: string): string {
  const c = id[17] === '0' ? '1' : '0';
  return id.slice(0, 17) + c;
}
