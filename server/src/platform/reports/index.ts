import { type FileResult, fileResult } from '../http/route.ts';
import { type PdfDoc, renderPdf } from './pdf.ts';
import { renderXlsx, type SheetSpec } from './xlsx.ts';

export type { PdfBlock, PdfDoc } from './pdf.ts';
export type { SheetSpec } from './xlsx.ts';
export { renderPdf, renderXlsx };

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const PDF_TYPE = 'application/pdf';

/** A route result that downloads an Excel workbook. */
export async function xlsxFile(filename: string, sheets: SheetSpec[]): Promise<FileResult> {
  return fileResult(XLSX_TYPE, filename.endsWith('.xlsx') ? filename : `${filename}.xlsx`, await renderXlsx(sheets));
}

/** A route result that downloads a PDF. */
export async function pdfFile(filename: string, doc: PdfDoc): Promise<FileResult> {
  return fileResult(PDF_TYPE, filename.endsWith('.pdf') ? filename : `${filename}.pdf`, await renderPdf(doc));
}
