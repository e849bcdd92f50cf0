import { checkDigit, validateResidentId } from '../../../platform/util/resident-id.ts';
import type { IdType } from '../../common/resident-index/service.ts';

/**
 * 证件类型 of a parent on a 市妇幼 birth record. Mothers born outside the mainland give birth in Shanghai
 * with documents other than the 居民身份证; each type is recognised from the number's format or from the
 * type the source declares, and checked as far as its format allows (a check digit where it has one).
 */
export const PARENT_ID_TYPES = ['resident_id', 'hmt_residence', 'hk_macao_pass', 'taiwan_pass', 'foreign_permanent', 'passport'] as const;
export type ParentIdType = (typeof PARENT_ID_TYPES)[number];

export const PARENT_ID_TYPE_NAME: Record<ParentIdType, string> = {
  resident_id: '居民身份证',
  hmt_residence: '港澳台居民居住证',
  hk_macao_pass: '港澳居民来往内地通行证',
  taiwan_pass: '台湾居民来往大陆通行证',
  foreign_permanent: '外国人永久居留身份证',
  passport: '护照',
};

/**
 * The resident index's type to look the person up by. A 港澳台居民居住证 number has the resident-ID
 * layout and check digit (region 810000/820000/830000), so the index keeps it as a resident ID.
 */
export const INDEX_ID_TYPE: Record<ParentIdType, IdType> = {
  resident_id: 'resident_id',
  hmt_residence: 'resident_id',
  hk_macao_pass: 'hk_macao_pass',
  taiwan_pass: 'taiwan_pass',
  foreign_permanent: 'foreign_permanent',
  passport: 'passport',
};

// Declared types as the sources write them: WS 364 身份证件类别代码 (01 居民身份证, 02 居民户口簿, 03 护照,
// 06 港澳居民来往内地通行证, 07 台湾居民来往内地通行证), the names, and our own codes.
const DECLARED: Record<string, ParentIdType> = {
  '01': 'resident_id',
  '1': 'resident_id',
  '02': 'resident_id',
  '2': 'resident_id',
  居民身份证: 'resident_id',
  身份证: 'resident_id',
  居民户口簿: 'resident_id',
  '03': 'passport',
  '3': 'passport',
  护照: 'passport',
  外国护照: 'passport',
  '06': 'hk_macao_pass',
  '6': 'hk_macao_pass',
  港澳居民来往内地通行证: 'hk_macao_pass',
  港澳通行证: 'hk_macao_pass',
  回乡证: 'hk_macao_pass',
  '07': 'taiwan_pass',
  '7': 'taiwan_pass',
  台湾居民来往大陆通行证: 'taiwan_pass',
  台湾居民来往内地通行证: 'taiwan_pass',
  台胞证: 'taiwan_pass',
  外国人永久居留身份证: 'foreign_permanent',
  外国人永久居留证: 'foreign_permanent',
  永久居留身份证: 'foreign_permanent',
  港澳台居民居住证: 'hmt_residence',
  港澳居民居住证: 'hmt_residence',
  台湾居民居住证: 'hmt_residence',
};
for (const t of PARENT_ID_TYPES) DECLARED[t.toUpperCase()] = t;

/** A declared type: the type, null when nothing is declared, 'unknown' for a value not understood. */
export function declaredIdType(v: string | null): ParentIdType | null | 'unknown' {
  if (v === null) return null;
  return DECLARED[v.replace(/\s+/g, '').toUpperCase()] ?? 'unknown';
}

const HMT_REGIONS = new Set(['810000', '820000', '830000']);

/** The type a number's format shows, or null when it shows none (a passport must be declared). */
export function recogniseIdType(id: string): ParentIdType | null {
  if (/^\d{17}[\dX]$/.test(id)) return HMT_REGIONS.has(id.slice(0, 6)) ? 'hmt_residence' : id[0] === '9' ? 'foreign_permanent' : 'resident_id';
  if (/^[HM]\d{8}(\d{2})?$/.test(id)) return 'hk_macao_pass';
  if (/^\d{8}(\d{2})?$/.test(id)) return 'taiwan_pass';
  if (/^[A-Z]{3}\d{12}$/.test(id)) return 'foreign_permanent';
  return null;
}

export type IdCheck = { ok: true; type: ParentIdType; sex: 'M' | 'F' | null } | { ok: false; reason: string };

/** Resident-ID layout (18 characters, birth date at 7–14, sex at 17, GB 11643 check digit) under another name. */
function residentLayout(id: string, name: string, today: string): IdCheck | { ok: true; sex: 'M' | 'F' } {
  const r = validateResidentId(id, today);
  if (!r.ok) return { ok: false, reason: r.reason.replace(/^身份证号码/, `${name}号码`) };
  return { ok: true, sex: r.sex };
}

/**
 * Checks a number as the declared type, or as the type its format shows when none is declared. A
 * declared 居民身份证 with an 18-character number of the 港澳台 regions or starting with 9 is a
 * 港澳台居民居住证 / 外国人永久居留身份证 (same layout; sources often declare 01 by default).
 */
export function checkParentId(id: string, declared: ParentIdType | null, today: string): IdCheck {
  const seen = recogniseIdType(id);
  const type = declared === null ? seen : declared === 'resident_id' && (seen === 'hmt_residence' || seen === 'foreign_permanent') ? seen : declared;
  if (type === null) {
    return {
      ok: false,
      reason: '无法识别的证件号码：不是有效的居民身份证、港澳台居民居住证、港澳或台湾通行证、外国人永久居留身份证号码；如为护照，请在来源数据中注明证件类型',
    };
  }
  const name = PARENT_ID_TYPE_NAME[type];
  switch (type) {
    case 'resident_id': {
      const r = validateResidentId(id, today);
      return r.ok ? { ok: true, type, sex: r.sex } : { ok: false, reason: r.reason };
    }
    case 'hmt_residence': {
      if (!/^8[123]0000\d{11}[\dX]$/.test(id)) return { ok: false, reason: `${name}号码应为18位，以810000（香港）、820000（澳门）或830000（台湾）开头` };
      const r = residentLayout(id, name, today);
      return r.ok ? { ok: true, type, sex: r.sex } : r;
    }
    case 'foreign_permanent': {
      if (/^[A-Z]{3}\d{12}$/.test(id)) return { ok: true, type, sex: null }; // the 2004 series: no check digit
      if (!/^9\d{16}[\dX]$/.test(id)) return { ok: false, reason: `${name}号码应为9开头的18位号码（2023版）或3位字母加12位数字（旧版）` };
      if (checkDigit(id.slice(0, 17)) !== id[17]) return { ok: false, reason: `${name}号码校验位不正确` };
      const r = residentLayout(id, name, today);
      return r.ok ? { ok: true, type, sex: r.sex } : r;
    }
    case 'hk_macao_pass':
      return /^[HM]\d{8}(\d{2})?$/.test(id) ? { ok: true, type, sex: null } : { ok: false, reason: `${name}号码应为H或M开头加8位或10位数字` };
    case 'taiwan_pass':
      return /^\d{8}(\d{2})?$/.test(id) ? { ok: true, type, sex: null } : { ok: false, reason: `${name}号码应为8位或10位数字` };
    case 'passport':
      return /^[A-Z0-9]{5,17}$/.test(id) && /\d/.test(id) ? { ok: true, type, sex: null } : { ok: false, reason: `${name}号码应为5至17位字母或数字（含数字）` };
  }
}
