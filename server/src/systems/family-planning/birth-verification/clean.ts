import { FIELD_TITLE, type FieldMapping, type TargetField, applyFieldMap } from './field-map.ts';
import { checkParentId, declaredIdType, PARENT_ID_TYPE_NAME, type ParentIdType } from './id-types.ts';

/**
 * Cleaning of one 市妇幼 record (pure): trim, full-width → half-width, names without inner spaces and
 * with one kind of middle dot, dates in any of the formats the interface has sent to YYYY-MM-DD,
 * identity numbers upper-case (15-digit ones converted to 18) with their 证件类型 (id-types.ts), sex codes
 * to M/F. A record with any reason is refused whole and kept with its reasons (fp_mch_rejected).
 */
export interface CleanBirth {
  certificateNo: string;
  childName: string;
  childSex: 'M' | 'F' | 'U';
  birthDate: string;
  birthWeight: number | null;
  hospital: string | null;
  claimedBirthOrder: number | null;
  motherName: string;
  motherIdNumber: string;
  motherIdType: ParentIdType;
  fatherName: string | null;
  fatherIdNumber: string | null;
  fatherIdType: ParentIdType | null;
  address: string | null;
  streetCode: string | null;
}

export interface CleanReason {
  field: TargetField;
  message: string;
}

export type CleanResult = { ok: true; record: CleanBirth } | { ok: false; reasons: CleanReason[] };

/** Full-width ASCII (ＡＢＣ１２３, ideographic space) → half-width; then trimmed. */
export function halfWidth(s: string): string {
  return s
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ')
    .trim();
}

export function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = halfWidth(String(v));
  return s === '' ? null : s;
}

/** 张 三 → 张三; 阿依古丽·买买提 with any dot variant → one '·'. */
export function normaliseName(v: unknown): string | null {
  const s = text(v);
  if (s === null) return null;
  return s.replace(/\s+/g, '').replace(/[.\u2022\u2027\u30fb\u00b7\uff0e\u0387\u2219]/g, '·');
}

const NAME = /^[\u3400-\u9fff\uf900-\ufaff·]{2,20}$|^[A-Za-z][A-Za-z ]{1,38}[A-Za-z]$/;

/** 20260105, 2026/1/5, 2026.01.05, 2026年1月5日, 2026-01-05T08:00:00 → 2026-01-05; null when not a real date. */
export function normaliseDate(v: unknown): string | null {
  const s = text(v);
  if (s === null) return null;
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  m ??= /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$/.exec(s);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A 15-digit (first-generation) number → 18 digits: century 19 and the check digit. */
export function upgradeId15(id: string): string {
  const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return first17 + '10X98765432'[sum % 11];
}

export function normaliseIdNumber(v: unknown): string | null {
  const s = text(v);
  if (s === null) return null;
  const id = s.replace(/\s+/g, '').toUpperCase();
  return /^\d{15}$/.test(id) ? upgradeId15(id) : id;
}

export function normaliseSex(v: unknown): 'M' | 'F' | 'U' | null {
  const s = text(v);
  if (s === null) return null;
  if (['1', 'M', 'm', '男'].includes(s)) return 'M';
  if (['2', 'F', 'f', '女'].includes(s)) return 'F';
  if (['0', '9', 'U', '未知', '未说明'].includes(s)) return 'U';
  return null;
}

function int(v: unknown): number | null | 'bad' {
  const s = text(v);
  if (s === null) return null;
  return /^\d{1,5}$/.test(s) ? Number(s) : 'bad';
}

export function cleanRecord(raw: Record<string, unknown>, map: readonly FieldMapping[], today: string): CleanResult {
  const f = applyFieldMap(raw, map);
  const reasons: CleanReason[] = [];
  const bad = (field: TargetField, message: string) => reasons.push({ field, message: `${FIELD_TITLE[field]}：${message}` });
  for (const m of map) if (m.required && text(f[m.targetField]) === null) bad(m.targetField, `缺失（来源字段 ${m.sourceField}）`);

  const certificateNo = text(f.certificateNo)?.toUpperCase() ?? null;
  if (certificateNo !== null && !/^[A-Z0-9]{6,20}$/.test(certificateNo)) bad('certificateNo', '格式不正确（应为6至20位字母或数字）');

  const childName = normaliseName(f.childName);
  if (childName !== null && !NAME.test(childName)) bad('childName', '含有不允许的字符或长度不正确');
  const motherName = normaliseName(f.motherName);
  if (motherName !== null && !NAME.test(motherName)) bad('motherName', '含有不允许的字符或长度不正确');
  const fatherName = normaliseName(f.fatherName);
  if (fatherName !== null && !NAME.test(fatherName)) bad('fatherName', '含有不允许的字符或长度不正确');

  const childSex = normaliseSex(f.childSex);
  if (text(f.childSex) !== null && childSex === null) bad('childSex', `无法识别的性别代码“${text(f.childSex)}”`);

  const birthDate = normaliseDate(f.birthDate);
  if (text(f.birthDate) !== null && birthDate === null) bad('birthDate', `无法识别的日期“${text(f.birthDate)}”`);
  else if (birthDate !== null && birthDate > today) bad('birthDate', '晚于今天');
  else if (birthDate !== null && birthDate < '2000-01-01') bad('birthDate', '早于2000年，不属于出生监测范围');

  const checkId = (field: TargetField, typeField: TargetField, v: unknown, sex: 'M' | 'F'): { id: string; type: ParentIdType } | null => {
    const declared = declaredIdType(text(f[typeField]));
    if (declared === 'unknown') {
      bad(typeField, `无法识别的证件类型“${text(f[typeField])}”（可为居民身份证、港澳台居民居住证、港澳或台湾通行证、外国人永久居留身份证、护照）`);
      return null;
    }
    const id = normaliseIdNumber(v);
    if (id === null) return null;
    const r = checkParentId(id, declared, today);
    if (!r.ok) {
      bad(field, r.reason);
      return null;
    }
    if (r.sex !== null && r.sex !== sex)
      bad(
        field,
        `${r.type === 'resident_id' ? '' : PARENT_ID_TYPE_NAME[r.type]}性别位显示为${r.sex === 'M' ? '男' : '女'}性，与${sex === 'F' ? '母亲' : '父亲'}身份不符`,
      );
    return { id, type: r.type };
  };
  const mother = checkId('motherIdNumber', 'motherIdType', f.motherIdNumber, 'F');
  const father = checkId('fatherIdNumber', 'fatherIdType', f.fatherIdNumber, 'M');
  const motherIdNumber = mother?.id ?? null;
  const fatherIdNumber = father?.id ?? null;
  if (fatherIdNumber !== null && fatherName === null) bad('fatherName', '有父亲身份证号但缺少父亲姓名');
  if (motherIdNumber !== null && fatherIdNumber !== null && motherIdNumber === fatherIdNumber) bad('fatherIdNumber', '与母亲证件号码相同');

  const weight = int(f.birthWeight);
  if (weight === 'bad' || (weight !== null && (weight < 300 || weight > 7000))) bad('birthWeight', '应为300至7000之间的整数（克）');
  const order = int(f.claimedBirthOrder);
  if (order === 'bad' || (order !== null && (order < 1 || order > 20))) bad('claimedBirthOrder', '应为1至20之间的整数');

  const streetCode = text(f.streetCode);
  if (streetCode !== null && !/^\d{9}$/.test(streetCode)) bad('streetCode', '应为9位数字的街道（乡镇）代码');

  if (reasons.length > 0) return { ok: false, reasons };
  return {
    ok: true,
    record: {
      certificateNo: certificateNo as string,
      childName: childName as string,
      childSex: childSex ?? 'U',
      birthDate: birthDate as string,
      birthWeight: weight as number | null,
      hospital: text(f.hospital),
      claimedBirthOrder: order as number | null,
      motherName: motherName as string,
      motherIdNumber: motherIdNumber as string,
      motherIdType: mother?.type ?? 'resident_id',
      fatherName,
      fatherIdNumber,
      fatherIdType: father?.type ?? null,
      address: text(f.address),
      streetCode,
    },
  };
}

/** A raw record safe to keep with its rejection: identity numbers masked. */
export function maskedRaw(raw: Record<string, unknown>, map: readonly FieldMapping[]): Record<string, unknown> {
  const idFields = new Set(map.filter((m) => m.targetField === 'motherIdNumber' || m.targetField === 'fatherIdNumber').map((m) => m.sourceField));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const s = v === null || v === undefined ? v : String(v);
    out[k] = idFields.has(k) && typeof s === 'string' && s.length > 8 ? `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}` : v;
  }
  return out;
}
