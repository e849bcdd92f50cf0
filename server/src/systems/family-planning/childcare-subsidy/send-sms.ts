import { Type } from '@sinclair/typebox';
import type { AuditBuffer } from '../../../platform/audit/event.ts';
import type { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { conflict } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { registerSmsTemplate, SMS_GATEWAY } from '../../../platform/integration/adapters/sms-gateway.ts';
import { enqueueMessage } from '../../../platform/integration/outbox.ts';
import { issueLink, LINK_DAYS } from './confirm-link.ts';
import * as repo from './repository.ts';
import { actorOf } from './screen.ts';
import { SmsSent } from './responses.ts';

/** 育儿补贴 amount per child and year (yuan), as shown to the parent. */
export const AMOUNT_YUAN = 3600;
export const SMS_SYSTEM = SMS_GATEWAY;
export const SMS_TOPIC = 'sms.childcare-subsidy.confirm';
export const CONFIRM_TEMPLATE = 'childcare-subsidy.confirm';

export function confirmUrl(token: string): string {
  const base = (process.env.WEIJIAN_PUBLIC_BASE_URL ?? 'https://weijian.wsjkw.sh.gov.cn').replace(/\/+$/, '');
  return `${base}/m/subsidy/confirm/${token}`;
}

// The gateway adapter renders the text and the link: the outbox holds the masked name, the amount, the
// date, the link's token and the sealed phone number, nothing more.
registerSmsTemplate(
  CONFIRM_TEMPLATE,
  (p) =>
    `【上海市卫生健康委员会】您的孩子${p.childName}符合育儿补贴“免申即享”条件（每年${p.amountYuan}元）。请于${p.expiresOn}前点击链接确认申领：${confirmUrl(String(p.token))} 链接仅可使用一次，请勿转发他人。`,
);

interface Pending {
  id: string;
  district_code: string | null;
  street_code: string | null;
  name_mask: string;
  birth_order: number | null;
  birth_order_review: boolean;
  parents_verified: boolean;
  applicant_person_id: string | null;
  phone_enc: string | null;
}

/**
 * 发送确认短信: for every complete pre-filled application of the latest screening (inside the caller's
 * scope) without an application yet, creates the application (sms_sent) and, in the same transaction,
 * the SMS outbox message carrying the one-time link. Returns what was created.
 */
export async function sendConfirmations(
  tx: Queryable,
  keys: KeyRing,
  audit: AuditBuffer,
  actor: string,
  opts: { limit?: number; now?: Date } = {},
): Promise<{ runId: number; sent: number; applicationIds: number[] }> {
  const run = await repo.lastSucceeded(tx);
  if (!run) throw conflict('尚无已完成的筛选批次，请先执行筛选');
  const runId = Number(run.id);
  const now = opts.now ?? new Date();
  const pending = await tx.query<Pending>(
    `select k.child_person_id::text as id, k.district_code, k.street_code, k.name_mask, c.birth_order, c.birth_order_review, c.parents_verified,
            c.applicant_person_id::text as applicant_person_id, p.phone_enc
       from cs_candidate k join cs_child c on c.person_id = k.child_person_id left join person p on p.id = c.applicant_person_id
      where k.run_id = $1 and k.eligible and k.prefill_complete
        and not exists (select 1 from cs_application a where a.child_person_id = k.child_person_id)
      order by k.child_person_id limit $2`,
    [runId, opts.limit ?? 100_000],
  );
  if (pending.length === 0) return { runId, sent: 0, applicationIds: [] };
  const expires = new Date(now.getTime() + LINK_DAYS * 86_400_000);
  const created = await tx.query<{ id: string; child_person_id: string }>(
    `insert into cs_application (run_id, child_person_id, applicant_person_id, district_code, street_code, child_name_mask, birth_order,
        birth_order_review, parents_verified, amount_yuan, token_expires_at, created_by)
     select $1, x.id, x.applicant_person_id, x.district_code, x.street_code, x.name_mask, x.birth_order, x.birth_order_review, x.parents_verified, $3, $4, $5
       from jsonb_to_recordset($2::jsonb) as x(id bigint, applicant_person_id bigint, district_code text, street_code text, name_mask text,
            birth_order int, birth_order_review boolean, parents_verified boolean)
     on conflict (child_person_id) do nothing
     returning id::text as id, child_person_id::text as child_person_id`,
    [runId, JSON.stringify(pending), AMOUNT_YUAN, expires, actor],
  );
  const byChild = new Map(pending.map((p) => [p.id, p]));
  const mac = (m: string, d: string) => keys.blindIndex(m, d);
  const updates: { id: number; digest: string; expires: string; message: number }[] = [];
  for (const a of created) {
    const p = byChild.get(a.child_person_id) as Pending;
    const link = issueLink(mac, Number(a.id), now);
    const date = link.expiresAt.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
    const msg = await enqueueMessage(tx, {
      system: SMS_SYSTEM,
      topic: SMS_TOPIC,
      key: `cs-confirm:${a.id}`,
      districtCode: p.district_code,
      payload: {
        template: CONFIRM_TEMPLATE,
        params: { childName: p.name_mask, amountYuan: AMOUNT_YUAN, expiresOn: date, token: link.token },
        phoneSealed: p.phone_enc,
        ref: `cs-app:${a.id}`,
      },
    });
    updates.push({ id: Number(a.id), digest: link.digest, expires: link.expiresAt.toISOString(), message: msg.id });
  }
  await tx.query(
    `update cs_application a set token_digest = x.digest, token_expires_at = x.expires, outbox_message_id = x.message, sms_message_id = x.message
       from jsonb_to_recordset($1::jsonb) as x(id bigint, digest text, expires timestamptz, message bigint) where a.id = x.id`,
    [JSON.stringify(updates)],
  );
  audit.write({ action: 'childcare-subsidy.applications.send-sms', objectType: 'cs_screening_run', objectId: runId, after: { sent: updates.length } });
  return { runId, sent: updates.length, applicationIds: updates.map((u) => u.id) };
}

export const SendSmsBody = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: '本次最多发送条数' })) },
  { additionalProperties: false },
);

export const sendSmsRoute = defineRoute({
  method: 'POST',
  url: '/childcare-subsidy/applications/send-sms',
  summary: '发送确认短信（最新筛选批次中预填完整且尚未发送的申领）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'childcare-subsidy.apply.send',
  body: SendSmsBody,
  successStatus: 201,
  response: { 201: SmsSent },
  handler: async (ctx, { body }) => {
    const r = await sendConfirmations(ctx.tx, ctx.kernel.keys, ctx.audit, actorOf(ctx.principal), { limit: body.limit });
    return { runId: r.runId, sent: r.sent };
  },
});
