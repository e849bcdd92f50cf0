/** GB 11643-1999 citizen identity number: 6-digit region, 8-digit birth date, 3-digit sequence, check digit. */
import { todayInShanghai } from './dates.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export type ResidentIdResult = { ok: true; birthDate: string; sex: 'M' | 'F'; regionCode: string } | { ok: false; reason: string };

export function validateResidentId(raw: string, today: string = todayInShanghai()): ResidentIdResult {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: '身份证号码应为18位，前17位为数字，末位为数字或X' };
  const y = id.slice(6, 10);
  const m = id.slice(10, 12);
  const d = id.slice(12, 14);
  const birthDate = `${y}-${m}-${d}`;
  const dt = new Date(`${birthDate}T00:00:00Z`);
  if (Number.isNaN(dt.getTime()) || dt.toISOString().slice(0, 10) !== birthDate) {
    return { ok: false, reason: '身份证号码中的出生日期无效' };
  }
  if (birthDate > today || Number(y) < 1890) return { ok: false, reason: '身份证号码中的出生日期不合理' };
  if (checkDigit(id) !== id[17]) return { ok: false, reason: '身份证号码校验位不正确' };
  return { ok: true, birthDate, sex: Number(id[16]) % 2 === 1 ? 'M' : 'F', regionCode: id.slice(0, 6) };
}

export function normalizeResidentId(raw: string): string {
  return raw.trim().toUpperCase();
}

/** 3101**********1234: the first 4 and last 4 characters, the rest hidden. */
export function maskResidentId(id: string): string {
  return id.length <= 8 ? '*'.repeat(id.length) : `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

export function maskPhone(p: string): string {
  return p.length >= 11 ? `${p.slice(0, 3)}****${p.slice(-4)}` : '*'.repeat(p.length);
}

export function maskName(n: string): string {
  return n.length <= 1 ? n : `${n[0]}${'*'.repeat(n.length - 1)}`;
}
