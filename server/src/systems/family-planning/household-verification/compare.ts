import type { FieldError } from '../../../platform/http/errors.ts';
import { clean, dateOf } from '../../../platform/util/untidy-text.ts';

export interface Registration {
  regNo: string;
  name: string;
  sex: 'M' | 'F' | 'U';
  birthDate: string;
  childId: string | null;
  policeCode: string;
  policeName: string;
  motherName: string | null;
  motherId: string | null;
  fatherName: string | null;
  fatherId: string | null;
  registeredOn: string | null;
}
export interface Newborn {
  regNo: string;
  name: string;
  sex: 'M' | 'F' | 'U';
  birthDate: string | null;
  certificateNo: string | null;
}
export interface Difference {
  field: 'name' | 'sex' | 'birthDate';
  title: string;
  police: string | null;
  newborn: string | null;
}

const sexOf = (v: unknown): 'M' | 'F' | 'U' => {
  const s = clean(v);
  return s === '1' || s === '男' ? 'M' : s === '2' || s === '女' ? 'F' : 'U';
};

/** One 公安 row (CSDJH, XM, XB, CSRQ, GMSFHM, SSPCSDM/SSPCSMC, MQ*, FQ*, DJRQ) → a registration or why not. */
export function parseRegistration(r: Record<string, unknown>): { reg: Registration } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const regNo = clean(r.CSDJH);
  const name = clean(r.XM);
  const birthDate = dateOf(r.CSRQ);
  const policeCode = clean(r.SSPCSDM);
  if (!regNo) errors.push({ field: 'CSDJH', message: '缺少出生登记号' });
  if (!name) errors.push({ field: 'XM', message: '缺少姓名' });
  if (!birthDate) errors.push({ field: 'CSRQ', message: '出生日期无效' });
  if (!/^31\d{10}$/.test(policeCode)) errors.push({ field: 'SSPCSDM', message: '派出所代码应为 31 开头的 12 位数字' });
  if (errors.length) return { errors };
  const opt = (v: unknown) => clean(v) || null;
  return {
    reg: {
      regNo,
      name,
      sex: sexOf(r.XB),
      birthDate: birthDate as string,
      childId: opt(r.GMSFHM)?.toUpperCase() ?? null,
      policeCode,
      policeName: clean(r.SSPCSMC) || policeCode,
      motherName: opt(r.MQXM),
      motherId: opt(r.MQGMSFHM),
      fatherName: opt(r.FQXM),
      fatherId: opt(r.FQGMSFHM),
      registeredOn: dateOf(r.DJRQ),
    },
  };
}

export function parseNewborn(r: Record<string, unknown>): Newborn | null {
  const regNo = clean(r.CSDJH);
  if (!regNo) return null;
  return { regNo, name: clean(r.XM), sex: sexOf(r.XB), birthDate: dateOf(r.CSRQ), certificateNo: clean(r.CSYXZMBH) || null };
}

const SEX = { M: '男', F: '女', U: '未知' } as const;

/** The 公安 registration against the newborn library's record of the same 出生登记号. */
export function compare(reg: Registration, nb: Newborn | undefined): { status: 'matched' | 'mismatch' | 'missing'; differences: Difference[] } {
  if (!nb) return { status: 'missing', differences: [] };
  const d: Difference[] = [];
  if (reg.name !== nb.name) d.push({ field: 'name', title: '姓名', police: reg.name, newborn: nb.name });
  if (reg.sex !== nb.sex) d.push({ field: 'sex', title: '性别', police: SEX[reg.sex], newborn: SEX[nb.sex] });
  if (nb.birthDate && reg.birthDate !== nb.birthDate) d.push({ field: 'birthDate', title: '出生日期', police: reg.birthDate, newborn: nb.birthDate });
  return { status: d.length ? 'mismatch' : 'matched', differences: d };
}
