import type { Principal } from '../../../platform/auth/principal.ts';
import { conflict } from '../../../platform/http/errors.ts';

/** 费用偏离病例核查的状态机: uploaded → under_review → concluded; no skips, no repeats, no way back. */
export const CASE_STATUSES = ['uploaded', 'under_review', 'concluded'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const STATUS_TITLE: Record<CaseStatus, string> = { uploaded: '待核查', under_review: '核查中', concluded: '已出结论' };

export const CONCLUSIONS = ['reasonable', 'partly_reasonable', 'unreasonable'] as const;
export type Conclusion = (typeof CONCLUSIONS)[number];
export const CONCLUSION_TITLE: Record<Conclusion, string> = { reasonable: '费用偏离合理', partly_reasonable: '部分合理', unreasonable: '费用偏离不合理' };

export const FINDING_RESULTS = ['compliant', 'issue', 'not_applicable'] as const;
export type FindingResult = (typeof FINDING_RESULTS)[number];
export const FINDING_TITLE: Record<FindingResult, string> = { compliant: '未发现问题', issue: '存在问题', not_applicable: '不适用' };

export type CaseAction = 'start_review' | 'conclude';
const STEP: Record<CaseAction, { from: CaseStatus; to: CaseStatus; role: string; title: string }> = {
  start_review: { from: 'uploaded', to: 'under_review', role: 'expert', title: '开始核查' },
  conclude: { from: 'under_review', to: 'concluded', role: 'expert', title: '出具结论' },
};

/** The next state, or 409 saying why the step is refused now. */
export function transition(from: CaseStatus, action: CaseAction): CaseStatus {
  const s = STEP[action];
  if (from === s.from) return s.to;
  if (from === 'concluded') throw conflict('该病例已出具核查结论，不能再次操作');
  if (action === 'start_review') throw conflict('该病例已在核查中，不能重复开始');
  throw conflict('请先开始核查，再出具结论');
}

/** What the caller may do now (the console shows these buttons); the reviewer alone concludes. */
export function allowedActions(p: Principal, status: CaseStatus, reviewer: string | null): CaseAction[] {
  if (p.role !== 'expert') return [];
  if (status === 'uploaded') return ['start_review'];
  if (status === 'under_review' && reviewer === p.username) return ['conclude'];
  return [];
}
