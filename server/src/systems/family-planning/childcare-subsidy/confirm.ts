import { Type } from '@sinclair/typebox';
import type { AuditInput } from '../../../platform/audit/event.ts';
import { AppError, conflict, fieldError, notFound } from '../../../platform/http/errors.ts';
import type { RequestContext } from '../../../platform/http/context.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { decide, maskBankAccount, normalizeBankAccount, REVIEW_REASON_TITLE } from './approval.ts';
import { parseLink } from './confirm-link.ts';
import { ConfirmationResult, ConfirmationSummary } from './responses.ts';

/**
 * 家长确认 (public, no sign-in): the link's token is the only key. A forged or unknown token is 404,
 * an expired one 410, a used one 409. Only the masked summary of that one application is shown.
 */
const tags = ['计划生育'];
const INVALID = '确认链接无效，请核对短信中的链接是否完整';
const EXPIRED = '确认链接已过期，请联系户籍所在街道（镇）社区事务受理服务中心重新发送';
const USED = '该申领已确认，确认链接仅可使用一次，无需重复提交';
export const STATUS_TITLE: Record<string, string> = { sms_sent: '待家长确认', manual_review: '人工审核中', approved: '已审核通过', rejected: '审核未通过' };

interface AppRow {
  id: string;
  applicant_person_id: string | null;
  child_person_id: string;
  district_code: string | null;
  child_name_mask: string;
  birth_order: number | null;
  amount_yuan: number;
  bank_account_enc: string | null;
  bank_account_mask: string | null;
  status: string;
  confirmed_at: Date | null;
  token_expires_at: Date;
}

const TokenParams = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200, description: '短信链接中的一次性令牌' }) },
  { additionalProperties: false },
);

async function load(ctx: RequestContext, token: string): Promise<AppRow> {
  const p = parseLink((m, d) => ctx.kernel.keys.blindIndex(m, d), token);
  if (!p.ok) throw notFound(INVALID);
  const [a] = await ctx.tx.query<AppRow>('select *, id::text as id from cs_application where id = $1 and token_digest = $2', [p.applicationId, p.digest]);
  if (!a) throw notFound(INVALID);
  return a;
}

const gone = () => new AppError(410, 'GONE', EXPIRED);
const isExpired = (a: AppRow) => new Date(a.token_expires_at).getTime() <= Date.now();

function parentActor(a: AppRow): NonNullable<AuditInput['actor']> {
  return { userId: null, username: `家长:${a.applicant_person_id ?? '未知'}`, role: 'applicant' };
}

function summary(a: AppRow) {
  return {
    childNameMasked: a.child_name_mask,
    birthOrder: a.birth_order,
    amountYuan: a.amount_yuan,
    bankAccountMasked: a.bank_account_mask,
    status: a.status,
    statusTitle: STATUS_TITLE[a.status] ?? a.status,
    confirmed: a.confirmed_at !== null,
    expiresAt: a.token_expires_at,
  };
}

export const viewConfirmationRoute = defineRoute({
  method: 'GET',
  url: '/public/subsidy/confirm/:token',
  summary: '育儿补贴申领确认：查看本人申领摘要（短信一次性链接，脱敏）',
  tags,
  auth: 'public',
  params: TokenParams,
  response: { 200: ConfirmationSummary },
  handler: async (ctx, { params }) => {
    const a = await load(ctx, params.token);
    if (a.confirmed_at === null && isExpired(a)) throw gone();
    ctx.audit.read({
      action: 'childcare-subsidy.confirm.view',
      objectType: 'cs_application',
      objectId: a.id,
      actor: parentActor(a),
      districtCode: a.district_code,
    });
    return summary(a);
  },
});

export const ConfirmBody = Type.Object(
  {
    confirm: Type.Boolean({ description: '确认申领' }),
    bankAccount: Type.Optional(Type.String({ pattern: '^[0-9 -]{12,23}$', maxLength: 23, description: '发放银行账户（可更正）' })),
  },
  { additionalProperties: false },
);

export const confirmRoute = defineRoute({
  method: 'POST',
  url: '/public/subsidy/confirm/:token',
  summary: '育儿补贴申领确认：家长一键确认（可更正银行账户，仅可使用一次）',
  tags,
  auth: 'public',
  params: TokenParams,
  body: ConfirmBody,
  response: { 200: ConfirmationResult },
  handler: async (ctx, { params, body }) => {
    const a = await load(ctx, params.token);
    if (a.confirmed_at !== null) throw conflict(USED);
    if (isExpired(a)) throw gone();
    if (body.confirm !== true) throw fieldError('confirm', '请点击“确认申领”');
    const keys = ctx.kernel.keys;
    const bank = body.bankAccount !== undefined ? normalizeBankAccount(body.bankAccount) : a.bank_account_enc ? keys.decryptField(a.bank_account_enc) : null;
    const [c] = await ctx.tx.query<{ birth_order: number | null; birth_order_review: boolean; parents_verified: boolean }>(
      'select birth_order, birth_order_review, parents_verified from cs_child where person_id = $1',
      [a.child_person_id],
    );
    const d = decide({
      birthOrder: c ? c.birth_order : a.birth_order,
      birthOrderReview: c ? c.birth_order_review : true,
      parentsVerified: c ? c.parents_verified : false,
      bankAccount: bank,
    });
    const updated = await ctx.tx.query<{ id: string }>(
      `update cs_application set status = $2, review_reasons = $3, confirmed_at = now(), bank_account_enc = $4, bank_account_mask = $5, updated_at = now(),
              decided_by = case when $2 = 'approved' then '自动审批' else null end, decided_at = case when $2 = 'approved' then now() else null end
        where id = $1 and confirmed_at is null returning id`,
      [a.id, d.status, d.reasons, bank ? keys.encryptField(bank) : null, maskBankAccount(bank)],
    );
    if (updated.length === 0) throw conflict(USED);
    ctx.audit.write({
      action: 'childcare-subsidy.confirm',
      objectType: 'cs_application',
      objectId: a.id,
      actor: parentActor(a),
      districtCode: a.district_code,
      before: { status: a.status },
      after: { status: d.status, reasons: d.reasons, bankAccountChanged: body.bankAccount !== undefined },
    });
    return {
      ...summary({ ...a, status: d.status, confirmed_at: new Date(), bank_account_mask: maskBankAccount(bank) }),
      reviewReasons: d.reasons.map((r) => REVIEW_REASON_TITLE[r]),
    };
  },
});
