import type { FieldError } from '../../../platform/http/errors.ts';
import { clean, dateOf } from '../../../platform/util/untidy-text.ts';

export interface Party {
  name: string;
  idNumber: string | null;
  birthDate: string | null;
  hukou: string | null;
}

export interface MarriageRecord {
  recordNo: string;
  kind: 'marriage' | 'divorce';
  registeredOn: string;
  district: string;
  husband: Party;
  wife: Party;
}

const party = (r: Record<string, unknown>, p: 'NF' | 'NV'): Party => {
  const id = clean(r[`${p}ZJHM`]).toUpperCase();
  const hukou = clean(r[`${p}HJQH`]);
  return { name: clean(r[`${p}XM`]), idNumber: id || null, birthDate: dateOf(r[`${p}CSRQ`]), hukou: /^\d{6}$/.test(hukou) ? hukou : null };
};

/** One 民政 row in the platform's columns → a record, or the reasons it cannot be used. */
export function parseMarriage(r: Record<string, unknown>): { record: MarriageRecord } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const recordNo = clean(r.DJZH);
  const kind = clean(r.YWLX).toUpperCase();
  const registeredOn = dateOf(r.DJRQ);
  const district = clean(r.DJJGDM).slice(0, 6);
  if (!recordNo) errors.push({ field: 'DJZH', message: '缺少登记证字号' });
  if (kind !== 'IA' && kind !== 'IB') errors.push({ field: 'YWLX', message: '业务类型应为 IA（结婚）或 IB（离婚）' });
  if (!registeredOn) errors.push({ field: 'DJRQ', message: '登记日期无效' });
  if (!/^31\d{4}$/.test(district)) errors.push({ field: 'DJJGDM', message: '登记机关区划代码无效' });
  const husband = party(r, 'NF');
  const wife = party(r, 'NV');
  if (!husband.name) errors.push({ field: 'NFXM', message: '缺少男方姓名' });
  if (!wife.name) errors.push({ field: 'NVXM', message: '缺少女方姓名' });
  if (errors.length) return { errors };
  return { record: { recordNo, kind: kind === 'IA' ? 'marriage' : 'divorce', registeredOn: registeredOn as string, district, husband, wife } };
}
