import { validateResidentId } from '../../../platform/util/resident-id.ts';

/**
 * 文件命名规范 for health-assessment uploads (FTP batches and single uploads alike):
 *
 *   <身份证号>_<报告类型>_<报告日期 YYYYMMDD>_<签名医生编号>.pdf
 *   e.g. 310104198005170012_HA_20261120_7101.pdf
 *
 * - 身份证号: the resident's 18-digit 居民身份证号码 (check digit verified);
 * - 报告类型: HA 健康评估报告, PE 老年人体检报告 (65 岁及以上);
 * - 报告日期: the day the doctor signed the report, not in the future and at most REPORT_MAX_AGE_DAYS old;
 * - 签名医生编号: the platform's practitioner number of the doctor who reviewed and signed the report
 *   (shown on 人员管理 and on the doctor's personal page); the doctor must work at the uploading centre.
 * Each problem is reported in zh-CN; the first one found is the file's rejection reason.
 */
export const REPORT_TYPES = ['HA', 'PE'] as const;
export type ReportType = (typeof REPORT_TYPES)[number];
export const REPORT_TYPE_NAMES: Record<ReportType, string> = { HA: '健康评估报告', PE: '老年人体检报告' };
export const REPORT_MAX_AGE_DAYS = 365;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const NAMING_RULE = '<身份证号>_<报告类型HA/PE>_<报告日期YYYYMMDD>_<签名医生编号>.pdf，例如 310104198005170012_HA_20261120_7101.pdf';

export interface ParsedName {
  idNumber: string;
  reportType: ReportType;
  reportDate: string;
  doctorId: number;
}

export type NameResult = { ok: true; value: ParsedName } | { ok: false; reason: string };

const DAY = 86_400_000;

/** Checks a file name against the convention (`today` is 'YYYY-MM-DD', Shanghai). */
export function parseReportName(fileName: string, today: string): NameResult {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const no = (reason: string): NameResult => ({ ok: false, reason });
  if (!/\.pdf$/i.test(base)) return no(`文件须为 PDF（.pdf）。命名规范：${NAMING_RULE}`);
  const parts = base.slice(0, -4).split('_');
  if (parts.length !== 4) return no(`文件名不符合命名规范：${NAMING_RULE}`);
  const [id, type, date, doctor] = parts as [string, string, string, string];
  const v = validateResidentId(id, today);
  if (!v.ok) return no(`文件名中的身份证号无效：${v.reason}`);
  if (!(REPORT_TYPES as readonly string[]).includes(type)) return no(`报告类型“${type}”无效，应为 HA（健康评估报告）或 PE（老年人体检报告）`);
  if (!/^\d{8}$/.test(date)) return no('报告日期应为 8 位数字 YYYYMMDD');
  const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
  const t = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== iso) return no(`报告日期 ${date} 不是有效日期`);
  if (iso > today) return no(`报告日期 ${iso} 晚于今天`);
  if ((Date.parse(`${today}T00:00:00Z`) - t.getTime()) / DAY > REPORT_MAX_AGE_DAYS)
    return no(`报告日期 ${iso} 超过 ${REPORT_MAX_AGE_DAYS} 天，不能作为续约依据上传`);
  if (!/^[1-9]\d{0,15}$/.test(doctor)) return no('签名医生编号应为平台医务人员编号（数字）');
  return { ok: true, value: { idNumber: id.toUpperCase(), reportType: type as ReportType, reportDate: iso, doctorId: Number(doctor) } };
}

/** A PDF starts with "%PDF-" (after at most a few bytes of junk some producers write). */
export function looksLikePdf(content: Buffer): boolean {
  return content.subarray(0, 1024).includes('%PDF-');
}
