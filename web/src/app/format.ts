import dayjs from 'dayjs';

/** Date-times as officials read them: 2026-11-26 09:30:00. */
export function fmtTime(ts: string | number | Date | null | undefined): string {
  if (ts === null || ts === undefined || ts === '') return '—';
  const d = dayjs(ts);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm:ss') : String(ts);
}

export function fmtDate(ts: string | null | undefined): string {
  if (!ts) return '—';
  const d = dayjs(ts);
  return d.isValid() ? d.format('YYYY-MM-DD') : ts;
}

export function fmtNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('zh-CN');
}

export const SEX: Record<string, string> = { M: '男', F: '女', U: '未知' };

/**
 * Error text for a person: the Chinese sentence without the system's codes ("（ECONNREFUSED）", "kind=…").
 * The full text stays available in a technical-detail panel where one is shown.
 */
export function plainError(text: string | null | undefined): string {
  if (!text) return '';
  const cleaned = text
    .replace(/[（(]\s*E[A-Z0-9_]{3,}\s*[）)]/g, '')
    .replace(/\b[a-zA-Z_]+=[\w.-]+/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
  return cleaned || '操作失败，请联系系统管理员查看技术详情';
}
