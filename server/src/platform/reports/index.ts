import { type FileResult, fileResult } from '../http/route.ts';
import { type PdfDoc, renderPdf } from './pdf.ts';
import type { Principal } from '../auth/principal.ts';
import { scopeLabels } from '../auth/scope-label.ts';
import type { Tx } from '../db/types.ts';
import { type ExportHeading, renderXlsx, type SheetSpec } from './xlsx.ts';

export type { PdfBlock, PdfDoc } from './pdf.ts';
export type { ExportHeading, SheetSpec } from './xlsx.ts';
export { renderPdf, renderXlsx };

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PDF_TYPE = 'application/pdf';

/** A route result that downloads an Excel workbook. */
export async function xlsxFile(filename: string, sheets: SheetSpec[], heading?: ExportHeading): Promise<FileResult> {
  return fileResult(XLSX_TYPE, filename.endsWith('.xlsx') ? filename : `${filename}.xlsx`, await renderXlsx(sheets, heading));
}

/** The title row of a report export: its title and the caller's data scope in words (today's date). */
export async function exportHeading(ctx: { tx: Tx; principal: Principal }, title: string): Promise<ExportHeading> {
  const [scope] = await scopeLabels(ctx.tx, [ctx.principal.scope]);
  return { title, scope: scope ?? '全市' };
}

/** A route result that downloads a PDF. */
export async function pdfFile(filename: string, doc: PdfDoc): Promise<FileResult> {
  return fileResult(PDF_TYPE, filename.endsWith('.pdf') ? filename : `${filename}.pdf`, await renderPdf(doc));
}
