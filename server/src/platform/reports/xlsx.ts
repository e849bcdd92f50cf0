// Excel exports (supervision reports, quality reports): one workbook, one sheet per table.
import ExcelJS from 'exceljs';

export interface SheetSpec {
  /** Sheet tab name (Excel allows 31 characters and no []:*?/\). */
  name: string;
  columns: { header: string; key: string; width?: number }[];
  rows: Record<string, unknown>[];
}

const BAD_SHEET_CHARS = /[[\]:*?/\\]/g;

function cell(v: unknown): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'bigint') return Number(v);
  return JSON.stringify(v);
}

export async function renderXlsx(sheets: SheetSpec[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'weijian';
  const used = new Set<string>();
  for (const s of sheets) {
    let name = s.name.replace(BAD_SHEET_CHARS, ' ').slice(0, 31) || 'Sheet';
    for (let i = 2; used.has(name); i++) name = `${name.slice(0, 28)}(${i})`;
    used.add(name);
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = s.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
    ws.getRow(1).font = { bold: true };
    for (const r of s.rows) ws.addRow(Object.fromEntries(s.columns.map((c) => [c.key, cell(r[c.key])])));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
