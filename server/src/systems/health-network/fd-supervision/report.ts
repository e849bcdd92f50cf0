import type { ServiceContext } from '../../../platform/service-context.ts';
import type { FileResult } from '../../../platform/http/route.ts';
import { exportHeading, xlsxFile } from '../../../platform/reports/index.ts';
import { type DrillInput, groupNames, type Level, LEVEL_TITLE, nextDrill } from './drill.ts';

export interface Column {
  key: string;
  title: string;
  /** Percentages are 0–100 with one decimal. */
  percent?: boolean;
}

export interface ReportRow {
  key: string;
  name: string;
  /** The drill-down query for this row (null at the doctor level). */
  next: DrillInput | null;
  [metric: string]: unknown;
}

export interface Report {
  title: string;
  level: Level;
  levelTitle: string;
  columns: Column[];
  rows: ReportRow[];
  total: Record<string, unknown>;
  [extra: string]: unknown;
}

export const pct = (num: number, den: number): number | null => (den > 0 ? Math.round((num / den) * 1000) / 10 : null);

/** Names the group keys and adds each row's drill-down. */
export async function namedRows(ctx: ServiceContext, q: DrillInput, level: Level, rows: ({ key: string } & Record<string, unknown>)[]): Promise<ReportRow[]> {
  const names = await groupNames(
    ctx,
    level,
    rows.map((r) => r.key),
  );
  return rows.map((r) => ({ ...r, name: names.get(r.key) ?? r.key, next: nextDrill(q, level, r.key) }));
}

/** Sums the numeric columns of the rows (the 合计 line). */
export function totalOf(rows: Record<string, unknown>[], columns: Column[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const c of columns) if (!c.percent) t[c.key] = rows.reduce((s, r) => s + (Number(r[c.key]) || 0), 0);
  return t;
}

/** The report as JSON, or as an Excel workbook (one sheet, a 合计 row last) when format = xlsx. */
export async function respond(ctx: ServiceContext, format: string | undefined, filename: string, r: Report): Promise<Report | FileResult> {
  ctx.audit.read({
    action: 'fd-supervision.report',
    objectType: 'report',
    objectId: null,
    note: `${r.title}（${r.levelTitle}${format === 'xlsx' ? '，导出' : ''}）`,
  });
  if (format !== 'xlsx') return r;
  const columns = [
    { header: r.levelTitle, key: 'name', width: 24 },
    ...r.columns.map((c) => ({ header: c.percent ? `${c.title}(%)` : c.title, key: c.key, width: 14 })),
  ];
  return xlsxFile(
    filename,
    [{ name: r.title.slice(0, 31), columns, rows: [...r.rows, { ...r.total, name: '合计' }] }],
    await exportHeading(ctx, `${r.title}（${r.levelTitle}）`),
  );
}

export { LEVEL_TITLE };
