import type { Principal } from '../../../platform/auth/principal.ts';
import { unprocessable } from '../../../platform/http/errors.ts';

// The disposal-order state machine (处置单状态机): draft → dispatched → explained → evaluated → closed.
// Every step has exactly one source state: skipped or repeated steps are refused with a zh-CN 422.

export const DISPOSAL_STATUSES = ['draft', 'dispatched', 'explained', 'evaluated', 'closed'] as const;
export type DisposalStatus = (typeof DISPOSAL_STATUSES)[number];

export const STATUS_TITLE: Record<DisposalStatus, string> = {
  draft: '草稿',
  dispatched: '已下发',
  explained: '已说明',
  evaluated: '已评价',
  closed: '已归档',
};

export const EVALUATION_RESULTS = ['reasonable', 'unreasonable', 'partly_reasonable'] as const;
export type EvaluationResult = (typeof EVALUATION_RESULTS)[number];
export const EVALUATION_TITLE: Record<EvaluationResult, string> = { reasonable: '合理', unreasonable: '不合理', partly_reasonable: '部分合理' };

export const DISPOSAL_ACTIONS = ['dispatch', 'explain', 'evaluate', 'close'] as const;
export type DisposalAction = (typeof DISPOSAL_ACTIONS)[number];

export const STEP: Record<DisposalAction, { from: DisposalStatus; to: DisposalStatus; title: string; permission: string }> = {
  dispatch: { from: 'draft', to: 'dispatched', title: '下发', permission: 'compliance.disposal.manage' },
  explain: { from: 'dispatched', to: 'explained', title: '说明', permission: 'compliance.disposal.explain' },
  evaluate: { from: 'explained', to: 'evaluated', title: '评价', permission: 'compliance.disposal.evaluate' },
  close: { from: 'evaluated', to: 'closed', title: '归档', permission: 'compliance.disposal.manage' },
};

const ORDER = (s: DisposalStatus) => DISPOSAL_STATUSES.indexOf(s);

/** The action leading out of a state (null: closed). */
export function nextAction(status: DisposalStatus): DisposalAction | null {
  return DISPOSAL_ACTIONS.find((a) => STEP[a].from === status) ?? null;
}

/** Throws a 422 with a zh-CN reason unless `action` may be taken from `status`; returns the new state. */
export function transition(status: DisposalStatus, action: DisposalAction): DisposalStatus {
  const step = STEP[action];
  if (status === step.from) return step.to;
  if (status === 'closed') throw unprocessable(`处置单已归档，不能再${step.title}`);
  if (ORDER(status) >= ORDER(step.to)) throw unprocessable(`处置单当前为「${STATUS_TITLE[status]}」，不能重复${step.title}`);
  const pending = nextAction(status)!;
  throw unprocessable(`处置单当前为「${STATUS_TITLE[status]}」，须先${STEP[pending].title}，不能跳过步骤直接${step.title}`);
}

/** The actions this principal may take on an order in this state (for the drawer). */
export function allowedActions(p: Principal, status: DisposalStatus): DisposalAction[] {
  const a = nextAction(status);
  return a && p.permissions.has(STEP[a].permission) ? [a] : [];
}

/** Overdue: not yet closed and the due date has passed (judged on `today`, YYYY-MM-DD). */
export function isOverdue(status: DisposalStatus, dueOn: string, today: string): boolean {
  return status !== 'closed' && dueOn < today;
}
