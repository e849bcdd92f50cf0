import type { Queryable } from '../../../platform/db/types.ts';
import { headerIndex, parseCsv } from './csv.ts';
import { ImportError, importFailure } from './import-errors.ts';
import { type RegionStageRow, regionLevels, upsertRegions } from './repository.ts';

export interface DivisionImportResult {
  rows: number;
  streets: number;
  communities: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

/** 街道 / 镇 / 乡, else 其他 (开发区, 工业区, 农场 … are units of the statistics list, not 街镇). */
export function streetKind(name: string): string {
  if (name.endsWith('街道')) return '街道';
  if (name.endsWith('镇')) return '镇';
  if (name.endsWith('乡')) return '乡';
  return '其他';
}

export function communityKind(name: string): string {
  return /村(民委员会|委会)?$/.test(name) ? '村委' : '居委';
}

/**
 * Imports streets and 居委 from CSV, all or nothing, in the caller's transaction. Two layouts:
 * - the 统计用区划 street list: `code,name,areaCode,provinceCode,cityCode` (9-digit codes);
 * - generic: `code,name,parent_code` — 9-digit streets under a district, 12-digit 居委 under a street
 *   (the parent may be given in 9- or NBS 12-digit form).
 */
export async function importDivisions(tx: Queryable, text: string): Promise<DivisionImportResult> {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (e) {
    throw new ImportError(`区划导入失败：${(e as Error).message}`, []);
  }
  if (records.length === 0) throw new ImportError('区划导入失败：文件为空', []);
  const h = headerIndex(records[0]!.cells);
  const code = h.get('code');
  const name = h.get('name');
  const parent = h.get('areacode') ?? h.get('parent_code');
  if (code === undefined || name === undefined || parent === undefined) {
    throw new ImportError('区划导入失败：表头应为 code,name,areaCode,… 或 code,name,parent_code', [{ line: 1, message: '表头不符合要求' }]);
  }
  const streetList = h.has('areacode');
  const known = await regionLevels(tx);
  const problems: { line: number; message: string }[] = [];
  const out: RegionStageRow[] = [];
  const seen = new Map<string, number>();
  const fileStreets = new Set<string>();
  // First pass: streets of the file, so 居委 may name a street imported in the same file.
  for (const r of records.slice(1)) {
    const c = (r.cells[code] ?? '').trim();
    if (/^3101\d{5}$/.test(c)) fileStreets.add(c);
  }
  for (const r of records.slice(1)) {
    const bad = (message: string) => problems.push({ line: r.line, message });
    const c = (r.cells[code] ?? '').trim();
    const n = (r.cells[name] ?? '').trim();
    let p = (r.cells[parent] ?? '').trim();
    const before = problems.length;
    if (!n) bad('名称为空');
    else if (n.length > 100) bad('名称超过 100 个字符');
    const prev = seen.get(c);
    if (prev !== undefined) bad(`代码 ${c} 与第 ${prev} 行重复`);
    if (/^\d{9}$/.test(c)) {
      if (!c.startsWith('3101')) bad(`代码 ${c} 不是上海市的区划代码`);
      else if (known.get(c.slice(0, 6)) !== 'district') bad(`代码 ${c} 所属的区 ${c.slice(0, 6)} 不存在`);
      else if (p !== c.slice(0, 6)) bad(`上级代码应为所属区 ${c.slice(0, 6)}，实际为「${p}」`);
      if (problems.length === before) out.push({ code: c, name: n, level: 'street', parentCode: p, districtCode: p, streetCode: c, kind: streetKind(n) });
    } else if (/^\d{12}$/.test(c) && !streetList) {
      if (/^\d{12}$/.test(p) && p.endsWith('000')) p = p.slice(0, 9);
      if (!c.startsWith('3101')) bad(`代码 ${c} 不是上海市的区划代码`);
      else if (c.endsWith('000')) bad(`12 位代码 ${c} 末三位为 000，表示街镇本身而非居委`);
      else if (p !== c.slice(0, 9)) bad(`上级代码应为所属街镇 ${c.slice(0, 9)}，实际为「${p}」`);
      else if (known.get(c.slice(0, 6)) !== 'district') bad(`代码 ${c} 所属的区 ${c.slice(0, 6)} 不存在`);
      else if (known.get(p) !== 'street' && !fileStreets.has(p)) bad(`所属街镇 ${p} 不存在（请先导入街镇）`);
      if (problems.length === before)
        out.push({ code: c, name: n, level: 'community', parentCode: p, districtCode: c.slice(0, 6), streetCode: p, kind: communityKind(n) });
    } else {
      bad(streetList ? `代码「${c}」应为 9 位街镇代码` : `代码「${c}」应为 9 位街镇代码或 12 位居委代码`);
    }
    if (c) seen.set(c, r.line);
  }
  if (problems.length) throw importFailure('区划', problems);
  const { inserted, updated } = await upsertRegions(tx, out);
  const streets = out.filter((r) => r.level === 'street').length;
  return { rows: out.length, streets, communities: out.length - streets, inserted, updated, unchanged: out.length - inserted - updated };
}
