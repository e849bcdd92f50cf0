/**
 * The 国家基础编码管理系统 exchange format as this project defines it (no public specification is
 * available to us; docs/base-codes-format.md documents it). Each entity is a flat table whose columns
 * carry short pinyin field codes (the convention of national health data standards, WS 364/365) and a
 * zh-CN title. Region codes follow GB/T 2260 (6 digits) extended to 12 digits by the township (乡级,
 * 3 digits, GB/T 10114) and village/community (村级, 3 digits) parts, zero-filled.
 */
export interface Field {
  code: string;
  title: string;
  width?: number;
}

export const REGION_FIELDS: Field[] = [
  { code: 'XZQHDM', title: '行政区划代码', width: 16 },
  { code: 'XZQHMC', title: '行政区划名称', width: 20 },
  { code: 'XZQHJB', title: '区划级别', width: 10 },
  { code: 'SJXZQHDM', title: '上级行政区划代码', width: 16 },
  { code: 'GBDM', title: 'GB/T 2260 代码', width: 12 },
  { code: 'YXBZ', title: '有效标志', width: 8 },
];

export const INSTITUTION_FIELDS: Field[] = [
  { code: 'JGDM', title: '机构代码', width: 20 },
  { code: 'JGMC', title: '机构名称', width: 30 },
  { code: 'JGJC', title: '机构简称', width: 16 },
  { code: 'JGLB', title: '机构类别', width: 16 },
  { code: 'JGFL', title: '机构分类', width: 12 },
  { code: 'JGJB', title: '机构级别', width: 8 },
  { code: 'JGDJ', title: '机构等次', width: 8 },
  { code: 'SYZXS', title: '所有制形式', width: 12 },
  { code: 'SJJGDM', title: '上级机构代码', width: 20 },
  { code: 'XZQHDM', title: '所在行政区划代码', width: 16 },
  { code: 'DZ', title: '地址', width: 30 },
  { code: 'LXDH', title: '联系电话', width: 14 },
  { code: 'JD', title: '经度', width: 10 },
  { code: 'WD', title: '纬度', width: 10 },
  { code: 'YXBZ', title: '有效标志', width: 8 },
];

export const USER_FIELDS: Field[] = [
  { code: 'YHZH', title: '用户账号', width: 18 },
  { code: 'YHXM', title: '用户姓名', width: 12 },
  { code: 'JSDM', title: '角色代码', width: 16 },
  { code: 'JSMC', title: '角色名称', width: 12 },
  { code: 'SJFWJB', title: '数据范围级别', width: 10 },
  { code: 'XZQHDM', title: '所属行政区划代码', width: 16 },
  { code: 'JGDM', title: '所属机构代码', width: 20 },
  { code: 'YXBZ', title: '有效标志', width: 8 },
  { code: 'CJSJ', title: '创建时间', width: 20 },
];

export const ENTITIES = {
  region: { title: '行政区划', fields: REGION_FIELDS },
  institution: { title: '医疗卫生机构', fields: INSTITUTION_FIELDS },
  user: { title: '用户', fields: USER_FIELDS },
} as const;
export type Entity = keyof typeof ENTITIES;

/** Any of our region codes (6 district, 9 street, 12 community digits) as the 12-digit code. */
export function region12(code: string | null | undefined): string {
  if (!code) return '';
  const digits = code.replace(/\D/g, '');
  return digits.length >= 12 ? digits.slice(0, 12) : digits.padEnd(12, '0');
}

/** 区划级别: 1 省级, 3 县级 (区), 4 乡级 (街道、镇), 5 村级 (居委、村委). Shanghai has no 地级 level. */
export const LEVEL_CODE: Record<string, string> = { city: '1', district: '3', street: '4', community: '5' };

/** RFC 4180 CSV, UTF-8 with a byte-order mark (so Excel reads the Chinese), CRLF line ends. */
export function toCsv(fields: readonly Field[], rows: readonly Record<string, unknown>[]): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [fields.map((f) => f.code).join(','), ...rows.map((r) => fields.map((f) => cell(r[f.code])).join(','))];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
