// Excel exports (supervision reports, quality reports): one workbook, one sheet per table.
import type ExcelJS from 'exceljs';
import { todayInShanghai } from '../util/dates.ts';

export interface SheetSpec {
  /** Sheet tab name (Excel allows 31 characters and no []:*?/\). */
  name: string;
  columns: { header: string; key: string; width?: number }[];
  rows: Record<string, unknown>[];
}

/** The title row every report export starts with: what it is, whose data, when (a printed sheet says so). */
export interface ExportHeading {
  title: string;
  /** The exporting user's data scope, e.g. "本区：黄浦区". */
  scope: string;
  /** YYYY-MM-DD, Shanghai time; today when left out. */
  date?: string;
}

export function headingText(h: ExportHeading): string {
  return `${h.title}（数据范围：${h.scope}；导出日期：${h.date ?? todayInShanghai()}）`;
}

const BAD_SHEET_CHARS = /[[\]:*?/\\]/g;

function cell(v: unknown): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'bigint') return Number(v);
  return JSON.stringify(v);
}

/** With a heading, row 1 of every sheet is the title row (merged, bold) and the column headers are row 2. */
export async function renderXlsx(sheets: SheetSpec[], heading?: ExportHeading): Promise<Buffer> {
  // Loaded on the first export, not with every process (exceljs brings archiver, unzipper and jszip).
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'weijian';
  const used = new Set<string>();
  for (const s of sheets) {
    let name = s.name.replace(BAD_SHEET_CHARS, ' ').slice(0, 31) || 'Sheet';
    for (let i = 2; used.has(name); i++) name = `${name.slice(0, 28)}(${i})`;
    used.add(name);
    const top = heading ? 2 : 1;
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: top }] });
    ws.columns = s.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
    if (heading) {
      ws.spliceRows(1, 0, [headingText(heading)]);
      if (s.columns.length > 1) ws.mergeCells(1, 1, 1, s.columns.length);
      ws.getRow(1).font = { bold: true, size: 13 };
    }
    ws.getRow(top).font = { bold: true };
    for (const r of s.rows) ws.addRow(Object.fromEntries(s.columns.map((c) => [c.key, cell(r[c.key])])));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
