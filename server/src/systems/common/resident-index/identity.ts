import type { FieldError } from '../../../platform/http/errors.ts';
import { validateResidentId } from '../../../platform/util/resident-id.ts';

export const ID_TYPES = ['resident_id', 'passport', 'hk_macao_pass', 'taiwan_pass', 'foreign_permanent', 'other'] as const;
export type IdType = (typeof ID_TYPES)[number];

export const ID_TYPE_NAMES: Record<IdType, string> = {
  resident_id: '居民身份证',
  passport: '护照',
  hk_macao_pass: '港澳居民来往内地通行证',
  taiwan_pass: '台湾居民来往大陆通行证',
  foreign_permanent: '外国人永久居留身份证',
  other: '其他证件',
};

// Shapes of the other documents: loose enough for old and new series, strict enough to catch typos.
const PATTERNS: Record<Exclude<IdType, 'resident_id'>, [RegExp, string]> = {
  passport: [/^[A-Z0-9]{5,17}$/, '护照号码应为 5–17 位字母或数字'],
  hk_macao_pass: [/^[HM]\d{8}(\d{2})?$/, '港澳通行证号码应为 H 或 M 开头加 8 或 10 位数字'],
  taiwan_pass: [/^\d{8}(\d{2})?$/, '台湾居民来往大陆通行证号码应为 8 或 10 位数字'],
  foreign_permanent: [/^([A-Z]{3}\d{12}|9\d{16}[\dX])$/, '外国人永久居留身份证号码应为 3 位字母加 12 位数字，或 9 开头的 18 位号码'],
  other: [/^[A-Z0-9-]{2,32}$/, '证件号码应为 2–32 位字母、数字或 -'],
};

/** Upper case without spaces: the form that is sealed and blind-indexed, so look-ups match however it was typed. */
export function normalizeIdNumber(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

export interface IdentityCheck {
  idNumber: string;
  /** From the document where it carries them (resident ID), else the given values. */
  birthDate: string | null;
  sex: 'M' | 'F' | 'U' | null;
  errors: FieldError[];
}

/**
 * Validates an identity number for its type. A resident ID must have a valid check digit and birth
 * date, and agree with the given birth date and sex (which it supplies when they are omitted).
 */
export function checkIdentity(idType: IdType, raw: string, given: { birthDate?: string | null; sex?: 'M' | 'F' | 'U' | null }, today?: string): IdentityCheck {
  const idNumber = normalizeIdNumber(raw);
  const errors: FieldError[] = [];
  if (idType === 'resident_id') {
    const v = validateResidentId(idNumber, today);
    if (!v.ok) return { idNumber, birthDate: given.birthDate ?? null, sex: given.sex ?? null, errors: [{ field: 'idNumber', message: v.reason }] };
    if (given.birthDate && given.birthDate !== v.birthDate) {
      errors.push({ field: 'idNumber', message: '身份证号码中的出生日期与所填出生日期不一致' });
    }
    if (given.sex && given.sex !== v.sex) errors.push({ field: 'idNumber', message: '身份证号码中的性别与所填性别不一致' });
    return { idNumber, birthDate: v.birthDate, sex: v.sex, errors };
  }
  const [re, message] = PATTERNS[idType];
  if (!re.test(idNumber)) errors.push({ field: 'idNumber', message });
  if (!given.birthDate) errors.push({ field: 'birthDate', message: `${ID_TYPE_NAMES[idType]}不含出生日期，请填写出生日期` });
  if (!given.sex) errors.push({ field: 'sex', message: '请填写性别' });
  return { idNumber, birthDate: given.birthDate ?? null, sex: given.sex ?? null, errors };
}
