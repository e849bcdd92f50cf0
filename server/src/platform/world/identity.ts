import { ageOn } from '../util/dates.ts';
import { checkDigit } from '../util/resident-id.ts';
import { WeightedTable } from './rng.ts';
import { COUNTY_SUFFIXES, type DistrictFacts, ORIGIN_PROVINCES } from './shanghai.ts';
import type { Rng } from './types.ts';

/** Days since 1970-01-01 (UTC) of a YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

/** YYYY-MM-DD of a day number. */
export function dateOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Whole years from birth to a date (platform/util/dates). */
export const ageAt = ageOn;

/**
 * Issues unique 18-digit 居民身份证号码 (GB 11643): region, birth date, a 3-digit sequence whose last digit
 * is odd for men and even for women, and the check digit. Remembers what it issued (one entry a person).
 */
export class ResidentIdIssuer {
  private readonly issued = new Set<string>();

  issue(rng: Rng, region: string, birthDate: string, sex: 'M' | 'F'): string {
    const birth = birthDate.replaceAll('-', '');
    for (let attempt = 0; attempt < 200; attempt++) {
      // Sequence 000-999; its parity carries the sex.
      const base = rng.int(0, 499) * 2 + (sex === 'M' ? 1 : 0);
      const first17 = `${region}${birth}${String(base).padStart(3, '0')}`;
      if (this.issued.has(first17)) continue;
      this.issued.add(first17);
      return first17 + checkDigit(first17);
    }
    throw new Error(`身份证号码序列耗尽：${region} ${birthDate}`);
  }
}

/** Mobile number prefixes in use (China Mobile, Unicom, Telecom), roughly by share. */
const MOBILE_PREFIXES = new WeightedTable<string>([
  ['134', 2],
  ['135', 4],
  ['136', 4],
  ['137', 4],
  ['138', 5],
  ['139', 6],
  ['147', 1],
  ['150', 3],
  ['151', 3],
  ['152', 2],
  ['157', 1],
  ['158', 3],
  ['159', 3],
  ['178', 1],
  ['182', 2],
  ['183', 2],
  ['187', 3],
  ['188', 2],
  ['198', 1],
  ['130', 3],
  ['131', 3],
  ['132', 3],
  ['155', 2],
  ['156', 2],
  ['166', 1],
  ['175', 1],
  ['176', 1],
  ['185', 2],
  ['186', 3],
  ['133', 2],
  ['153', 2],
  ['173', 1],
  ['177', 1],
  ['180', 2],
  ['181', 2],
  ['189', 3],
  ['191', 1],
  ['199', 1],
]);

/** An 11-digit mobile number, 1[3-9]…; collisions are possible but rare, as in life. */
export function mobilePhone(rng: Rng): string {
  return MOBILE_PREFIXES.draw(rng) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

/** A Shanghai landline, 021-xxxxxxxx. */
export function landline(rng: Rng): string {
  return `021-${rng.int(5, 6)}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
}

/**
 * The region code in the identity number of someone born (or first registered) in a Shanghai district:
 * people born before a merger carry the old district's or county's code (卢湾 310103, 南汇县 310225 …).
 */
export function shanghaiBirthRegion(rng: Rng, d: DistrictFacts, birthYear: number): string {
  const old = d.oldCodes.filter(([, before]) => birthYear < before);
  if (old.length === 0) return d.code;
  const i = Math.floor(rng.next() * (old.length + 1));
  return i === old.length ? d.code : old[i]![0];
}

const ORIGINS = new WeightedTable(ORIGIN_PROVINCES.map((p) => [p, p.share] as const));

/** Someone from another province: the 6-digit code of their identity number and their prefecture (参保地). */
export function originRegion(rng: Rng): { region: string; prefecture: string; province: string } {
  const p = ORIGINS.draw(rng);
  const pref = p.prefectures[Math.floor(rng.next() * p.prefectures.length)]!;
  return { region: pref + COUNTY_SUFFIXES[Math.floor(rng.next() * COUNTY_SUFFIXES.length)]!, prefecture: `${pref}00`, province: `${p.code}0000` };
}
