import type { Queryable } from '../../../platform/db/types.ts';
import { addDays, todayInShanghai as shanghaiToday } from '../../../platform/util/dates.ts';
import { REPORT_MAX_AGE_DAYS } from './naming.ts';
import { latestReportId } from './repository.ts';

/**
 * For other modules (family-doctor flexible renewal ③/④, elderly services): the resident's latest archived
 * reports of the last REPORT_MAX_AGE_DAYS days, as links. Renewal condition ③ = healthAssessment present;
 * ④ = physicalExam present (and aged ≥ 65, which the renewal rule checks itself).
 */
export interface ReportLink {
  fileId: number;
  url: string;
}

export interface ReportLinks {
  healthAssessment: ReportLink | null;
  physicalExam: ReportLink | null;
}

/** Where a report is read (the console path of the archived PDF; absolute with WEIJIAN_PUBLIC_BASE_URL). */
export function reportUrl(fileId: number): string {
  const base = (process.env.WEIJIAN_PUBLIC_BASE_URL ?? 'https://weijian.wsjkw.sh.gov.cn').replace(/\/+$/, '');
  return `${base}/api/v1/health-assessment/files/${fileId}/content`;
}

export async function reportLinks(ctx: { tx: Queryable }, personId: number, on = shanghaiToday()): Promise<ReportLinks> {
  const since = addDays(on, -REPORT_MAX_AGE_DAYS);
  const ha = await latestReportId(ctx.tx, personId, 'HA', since);
  const pe = await latestReportId(ctx.tx, personId, 'PE', since);
  return {
    healthAssessment: ha ? { fileId: ha, url: reportUrl(ha) } : null,
    physicalExam: pe ? { fileId: pe, url: reportUrl(pe) } : null,
  };
}
