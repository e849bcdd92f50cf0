import type {
  CaseLogEntry,
  CaseStatus,
  LogEntry,
  MvCase,
  MvCaseDetail,
  PullBatch,
  StatsRow,
} from '@server/systems/family-planning/marriage-verification/responses.ts';

export type { CaseLogEntry, CaseStatus, LogEntry, MvCase, MvCaseDetail, PullBatch, StatsRow };

/** What the marriage library holds for a case, as a tag. */
export function writtenBackTag(c: Pick<MvCase, 'kind' | 'writtenBack'>): { text: string; color: string } | null {
  if (!c.writtenBack) return null;
  if (c.kind === 'divorce') return { text: '已回写婚姻库（婚姻已解除）', color: 'blue' };
  return c.writtenBack.own ? { text: '已回写婚姻库', color: 'blue' } : { text: '婚姻库已有记录', color: 'default' };
}
export const STATUS: Record<CaseStatus, { text: string; color: string }> = {
  matched: { text: '匹配成功', color: 'green' },
  exception: { text: '异常', color: 'red' },
  manual: { text: '待人工匹配', color: 'orange' },
  confirmed: { text: '人工确认', color: 'blue' },
  invalid: { text: '已标记无效', color: 'default' },
};
export const LOG_KIND: Record<CaseLogEntry['kind'], string> = { match: '匹配', audit: '自动审核', manual: '人工干预' };
export const METHOD: Record<string, string> = { idNumber: '证件号码', nameBirth: '姓名+出生日期', manual: '人工指定', none: '未匹配' };
/** A log entry's result in words (match: found / not_found; audit and manual: a case status). */
export function logStatusText(status: string): string {
  if (status === 'found') return '双方均已匹配';
  if (status === 'not_found') return '存在未匹配方';
  return (STATUS as Record<string, { text: string }>)[status]?.text ?? status;
}
