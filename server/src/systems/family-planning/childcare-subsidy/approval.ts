/**
 * 自动审批规则 (pure): a confirmed application is approved automatically when every rule passes;
 * otherwise it goes to the manual-review queue with the failed rules as its recorded reasons.
 */
export interface ApprovalFacts {
  birthOrder: number | null;
  birthOrderReview: boolean;
  parentsVerified: boolean;
  bankAccount: string | null;
}

export const REVIEW_REASONS = ['birth_order_review', 'birth_order_missing', 'parents_unverified', 'bank_account_missing', 'bank_account_invalid'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

export const REVIEW_REASON_TITLE: Record<ReviewReason, string> = {
  birth_order_review: '孩次来源不一致，需人工核定',
  birth_order_missing: '孩次缺失',
  parents_unverified: '父母信息未通过核验',
  bank_account_missing: '未提供发放银行账户',
  bank_account_invalid: '银行账户格式不正确（应为16至19位数字）',
};

/** A mainland bank card / account number as accepted for the subsidy: 16 to 19 digits. */
export const BANK_ACCOUNT = /^\d{16,19}$/;

export function normalizeBankAccount(s: string): string {
  return s.replace(/[\s-]/g, '');
}

export function maskBankAccount(s: string | null): string | null {
  if (!s) return null;
  return s.length <= 8 ? '*'.repeat(s.length) : `${s.slice(0, 4)} **** **** ${s.slice(-4)}`;
}

export function approvalReasons(f: ApprovalFacts): ReviewReason[] {
  const out: ReviewReason[] = [];
  if (f.birthOrderReview) out.push('birth_order_review');
  else if (f.birthOrder === null || f.birthOrder < 1) out.push('birth_order_missing');
  if (!f.parentsVerified) out.push('parents_unverified');
  if (!f.bankAccount) out.push('bank_account_missing');
  else if (!BANK_ACCOUNT.test(f.bankAccount)) out.push('bank_account_invalid');
  return out;
}

export function decide(f: ApprovalFacts): { status: 'approved' | 'manual_review'; reasons: ReviewReason[] } {
  const reasons = approvalReasons(f);
  return { status: reasons.length === 0 ? 'approved' : 'manual_review', reasons };
}
