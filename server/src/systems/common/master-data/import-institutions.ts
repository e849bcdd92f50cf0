import type { Queryable } from '../../../platform/db/types.ts';
import { headerIndex, parseCsv } from './csv.ts';
import { CATEGORIES, GRADES, INSTITUTION_KIND_NAMES, INSTITUTION_KINDS, type InstitutionKind } from './enums.ts';
import { ImportError, importFailure } from './import-errors.ts';
import { getRegions, type InstitutionStageRow, institutionsByCodes, upsertInstitutions } from './repository.ts';

/**
 * The institution CSV (UTF-8, header required, columns in any order):
 *
 *   code,name,kind,level,grade,category,district_code,street_code,parent_code,address,phone
 *
 * - code: 机构代码 (letters, digits, '-'; ≤ 40), the key: an existing code is updated;
 * - kind: chc | district_hospital | city_hospital | specialist_hospital | other, or 社区卫生服务中心 / 区属医院 /
 *   市级医院 / 专科医院 / 其他机构;
 * - level: 1 / 2 / 3 or 一级 / 二级 / 三级 (may be empty); grade: 甲 / 乙 / 丙 / 未定 (may be empty);
 * - category: 综合 (default) / 中医 / 中西医结合 / 专科 / 妇幼 / 康复 / 护理 / 精神 / 其他;
 * - district_code: 3101xx; street_code: 9-digit street of that district (may be empty);
 * - parent_code: code of the 总院 when the row is a 分院 (in the file or already stored; one level only);
 * - address (≤ 200), phone (≤ 40) may be empty.
 */
export const INSTITUTION_COLUMNS = [
  'code',
  'name',
  'kind',
  'level',
  'grade',
  'category',
  'district_code',
  'street_code',
  'parent_code',
  'address',
  'phone',
] as const;

export interface InstitutionImportResult {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

const KIND_BY_LABEL = new Map<string, InstitutionKind>([
  ...INSTITUTION_KINDS.map((k) => [k, k] as const),
  ...Object.entries(INSTITUTION_KIND_NAMES).map(([k, v]) => [v, k as InstitutionKind] as const),
  ['社区卫生服务中心', 'chc'],
  ['区级医院', 'district_hospital'],
]);
const LEVELS = new Map<string, number>([
  ['1', 1],
  ['2', 2],
  ['3', 3],
  ['一级', 1],
  ['二级', 2],
  ['三级', 3],
]);

export async function importInstitutions(tx: Queryable, text: string): Promise<InstitutionImportResult> {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (e) {
    throw new ImportError(`机构导入失败：${(e as Error).message}`, []);
  }
  if (records.length === 0) throw new ImportError('机构导入失败：文件为空', []);
  const h = headerIndex(records[0]!.cells);
  const missing = ['code', 'name', 'kind', 'district_code'].filter((c) => !h.has(c));
  if (missing.length) throw new ImportError(`机构导入失败：表头缺少 ${missing.join(', ')}`, [{ line: 1, message: `表头缺少 ${missing.join(', ')}` }]);
  const get = (cells: string[], col: string) => {
    const i = h.get(col);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  const body = records.slice(1);
  const regions = await getRegions(tx, body.flatMap((r) => [get(r.cells, 'district_code'), get(r.cells, 'street_code')]).filter(Boolean));
  const stored = await institutionsByCodes(tx, body.flatMap((r) => [get(r.cells, 'code'), get(r.cells, 'parent_code')]).filter(Boolean));
  const fileParent = new Map(body.map((r) => [get(r.cells, 'code'), get(r.cells, 'parent_code')]));
  const fileParents = new Set([...fileParent.values()].filter(Boolean));

  const problems: { line: number; message: string }[] = [];
  const out: InstitutionStageRow[] = [];
  const seen = new Map<string, number>();
  for (const r of body) {
    const bad = (message: string) => problems.push({ line: r.line, message });
    const before = problems.length;
    const v = (col: string) => get(r.cells, col);
    const code = v('code');
    const name = v('name');
    if (!/^[0-9A-Za-z-]{1,40}$/.test(code)) bad(`机构代码「${code}」格式不正确（字母、数字或 -，不超过 40 位）`);
    const prev = seen.get(code);
    if (prev !== undefined) bad(`机构代码 ${code} 与第 ${prev} 行重复`);
    seen.set(code, r.line);
    if (!name) bad('机构名称为空');
    else if (name.length > 100) bad('机构名称超过 100 个字符');
    const kind = KIND_BY_LABEL.get(v('kind'));
    if (!kind) bad(`机构类别「${v('kind')}」不正确，应为：${INSTITUTION_KINDS.join('、')}`);
    const levelText = v('level');
    const level = levelText ? LEVELS.get(levelText) : null;
    if (level === undefined) bad(`级别「${levelText}」不正确，应为 1、2、3 或 一级、二级、三级`);
    const grade = v('grade').replace(/等$/, '') || null;
    if (grade && !(GRADES as readonly string[]).includes(grade)) bad(`等次「${grade}」不正确，应为：${GRADES.join('、')}`);
    const category = v('category') || '综合';
    if (!(CATEGORIES as readonly string[]).includes(category)) bad(`类型「${category}」不正确，应为：${CATEGORIES.join('、')}`);
    const district = v('district_code');
    if (regions.get(district)?.level !== 'district') bad(`所在区「${district}」不存在`);
    const street = v('street_code') || null;
    if (street) {
      const s = regions.get(street);
      if (s?.level !== 'street') bad(`所在街镇「${street}」不存在`);
      else if (s.districtCode !== district) bad(`街镇 ${street} 不属于区 ${district}`);
    }
    const parentCode = v('parent_code') || null;
    if (parentCode) {
      const inFile = fileParent.has(parentCode);
      const inDb = stored.get(parentCode);
      if (parentCode === code) bad('上级机构不能是本机构');
      else if (!inFile && !inDb) bad(`上级机构 ${parentCode} 不存在`);
      // One level only: a 分院's 总院 is not itself a 分院, and a 总院 with 分院 cannot become one.
      else if (inFile ? fileParent.get(parentCode) : inDb?.parentId) bad(`上级机构 ${parentCode} 本身是分院，分院不能再设分院`);
      if (fileParents.has(code) || stored.get(code)?.hasBranches) bad(`机构 ${code} 设有分院，不能再作为分院`);
    }
    const address = v('address') || null;
    if (address && address.length > 200) bad('地址超过 200 个字符');
    const phone = v('phone') || null;
    if (phone && !/^[0-9+\-() ]{3,40}$/.test(phone)) bad(`电话「${phone}」格式不正确`);
    if (problems.length === before) {
      out.push({
        code,
        name,
        kind: kind as string,
        level: level ?? null,
        grade,
        category,
        districtCode: district,
        streetCode: street,
        parentCode,
        address,
        phone,
      });
    }
  }
  if (problems.length) throw importFailure('机构', problems);
  const { inserted, updated } = await upsertInstitutions(tx, out);
  return { rows: out.length, inserted, updated, unchanged: out.length - inserted - updated };
}
