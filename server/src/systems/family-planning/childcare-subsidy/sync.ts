// 与国家系统同步: approved applications are uploaded (one outbox message each, key cs-app:<id>, so
// a repeat queues nothing and the national side deduplicates redeliveries), and the national system's
// feedback is read from its reply feed. Replies may come twice and in any order: each is stored once by
// its reply id, and an application's national status only moves forward (accepted → rejected / paid).
import type { AuditBuffer } from '../../../platform/audit/event.ts';
import type { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { enqueueMessage } from '../../../platform/integration/outbox.ts';
import type { JobContext, JobDef } from '../../../platform/jobs/types.ts';
import type { Kernel } from '../../../platform/kernel.ts';
import { NATIONAL, NationalReadError, readNational, type SealedPersonal, UPLOAD_TOPIC, type UploadPayload } from './national.ts';

export const SYNC_JOB = 'childcare-subsidy.sync';
export const NATIONAL_STATUSES = ['accepted', 'rejected', 'paid'] as const;
export type NationalStatus = (typeof NATIONAL_STATUSES)[number];
export const NATIONAL_STATUS_TITLE: Record<NationalStatus, string> = { accepted: '国家系统已受理', rejected: '国家系统退回', paid: '已发放' };
/** Replies only move a status forward: a late "accepted" never overwrites "paid". */
export const NATIONAL_RANK: Record<NationalStatus, number> = { accepted: 1, rejected: 2, paid: 2 };

interface UploadRow {
  id: string;
  district_code: string | null;
  birth_order: number | null;
  amount_yuan: number;
  bank_account_enc: string | null;
  decided_at: Date | null;
  birth_date: string;
  hukou_district: string | null;
  applicant_relation: string | null;
  child_name: string | null;
  child_id_enc: string | null;
  applicant_name: string | null;
  applicant_id_enc: string | null;
  applicant_phone_enc: string | null;
}

/**
 * Queues the upload of approved applications not yet queued (inside the caller's scope, oldest first),
 * in the caller's transaction. Identity numbers, phone and bank account are sealed in the payload.
 */
export async function queueUploads(tx: Queryable, keys: KeyRing, opts: { limit?: number } = {}): Promise<number[]> {
  const rows = await tx.query<UploadRow>(
    `select a.id::text as id, a.district_code, a.birth_order, a.amount_yuan, a.bank_account_enc, a.decided_at,
            c.birth_date, c.hukou_district, c.applicant_relation,
            ch.name as child_name, ch.id_number_enc as child_id_enc, ap.name as applicant_name, ap.id_number_enc as applicant_id_enc, ap.phone_enc as applicant_phone_enc
       from cs_application a join cs_child c on c.person_id = a.child_person_id
       left join person ch on ch.id = a.child_person_id
       left join person ap on ap.id = a.applicant_person_id
      where a.status = 'approved' and a.sync_message_id is null
      order by a.id limit $1
      for update of a skip locked`,
    [opts.limit ?? 20_000],
  );
  if (rows.length === 0) return [];
  const open = (v: string | null) => (v ? keys.decryptField(v) : null);
  const done: { id: number; message: number }[] = [];
  for (const r of rows) {
    const personal: SealedPersonal = {
      childName: r.child_name,
      childIdNumber: open(r.child_id_enc),
      applicantName: r.applicant_name,
      applicantIdNumber: open(r.applicant_id_enc),
      applicantPhone: open(r.applicant_phone_enc),
      bankAccount: open(r.bank_account_enc),
    };
    const payload: UploadPayload = {
      applicationId: Number(r.id),
      districtCode: r.district_code,
      birthOrder: r.birth_order,
      amountYuan: r.amount_yuan,
      childBirthDate: r.birth_date,
      childHukouDistrict: r.hukou_district,
      applicantRelation: r.applicant_relation,
      decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
      sealed: keys.encryptField(JSON.stringify(personal)),
    };
    const m = await enqueueMessage(tx, {
      system: NATIONAL,
      topic: UPLOAD_TOPIC,
      key: `cs-app:${r.id}`,
      payload: payload as unknown as Record<string, unknown>,
      districtCode: r.district_code,
    });
    done.push({ id: Number(r.id), message: m.id });
  }
  await tx.query(
    `update cs_application a set sync_message_id = x.message, sync_queued_at = now(), updated_at = now()
       from jsonb_to_recordset($1::jsonb) as x(id bigint, message bigint) where a.id = x.id`,
    [JSON.stringify(done)],
  );
  return done.map((d) => d.id);
}

export interface Reply {
  seq: number;
  replyId: string;
  type?: string;
  applicationId?: unknown;
  nationalId?: unknown;
  status?: unknown;
  reason?: unknown;
}

export interface ApplySummary {
  received: number;
  duplicates: number;
  applied: number;
  stale: number;
  unknown: number;
}

/** Applies a batch of replies in the caller's transaction (idempotent: a reply id counts once). */
export async function applyReplies(tx: Queryable, replies: readonly Reply[]): Promise<ApplySummary> {
  const sum: ApplySummary = { received: replies.length, duplicates: 0, applied: 0, stale: 0, unknown: 0 };
  const valid = replies.filter(
    (r) => r.type === 'application.status' && Number.isSafeInteger(r.applicationId) && NATIONAL_STATUSES.includes(r.status as NationalStatus),
  );
  sum.unknown += replies.length - valid.length;
  if (valid.length === 0) return sum;
  const rows = valid.map((r) => ({
    reply_id: String(r.replyId),
    seq: r.seq,
    application_id: r.applicationId as number,
    status: r.status as NationalStatus,
    reason: typeof r.reason === 'string' ? r.reason.slice(0, 500) : null,
    national_id: typeof r.nationalId === 'string' ? r.nationalId.slice(0, 64) : null,
  }));
  // New replies only (a repeated reply id, in this batch or an earlier one, is a duplicate).
  const fresh = await tx.query<{ reply_id: string }>(
    `insert into cs_national_reply (reply_id, seq, application_id, status, reason, applied, district_code, street_code)
     select distinct on (x.reply_id) x.reply_id, x.seq, x.application_id, x.status, x.reason, false, a.district_code, a.street_code
       from jsonb_to_recordset($1::jsonb) as x(reply_id text, seq bigint, application_id bigint, status text, reason text)
       left join cs_application a on a.id = x.application_id
      order by x.reply_id, x.seq
     on conflict (reply_id) do nothing
     returning reply_id`,
    [JSON.stringify(rows)],
  );
  const isFresh = new Set(fresh.map((f) => f.reply_id));
  sum.duplicates = valid.length - isFresh.size;
  // Per application, the furthest status among the fresh replies; then only forward moves are written.
  const best = new Map<number, (typeof rows)[number]>();
  const seen = new Set<string>();
  for (const r of rows) {
    if (!isFresh.has(r.reply_id) || seen.has(r.reply_id)) continue;
    seen.add(r.reply_id);
    const b = best.get(r.application_id);
    if (!b || NATIONAL_RANK[r.status] > NATIONAL_RANK[b.status] || (NATIONAL_RANK[r.status] === NATIONAL_RANK[b.status] && r.seq > b.seq))
      best.set(r.application_id, r);
  }
  const updates = [...best.values()].map((r) => ({ ...r, rank: NATIONAL_RANK[r.status] }));
  const moved = await tx.query<{ reply_id: string }>(
    `update cs_application a set national_status = x.status, national_rank = x.rank, national_reason = x.reason,
            national_id = coalesce(x.national_id, a.national_id), national_updated_at = now(), updated_at = now()
       from jsonb_to_recordset($1::jsonb) as x(reply_id text, application_id bigint, status text, rank int, reason text, national_id text)
      where a.id = x.application_id and a.national_rank < x.rank
      returning x.reply_id`,
    [JSON.stringify(updates)],
  );
  if (moved.length) await tx.query('update cs_national_reply set applied = true where reply_id = any($1::text[])', [moved.map((m) => m.reply_id)]);
  sum.applied = moved.length;
  const known = new Set(
    (await tx.query<{ id: string }>('select id::text as id from cs_application where id = any($1::bigint[])', [[...best.keys()]])).map((r) => Number(r.id)),
  );
  const movedIds = new Set(moved.map((m) => m.reply_id));
  const byId = new Map(rows.map((r) => [r.reply_id, r]));
  for (const id of seen) {
    if (movedIds.has(id)) continue;
    if (known.has((byId.get(id) as (typeof rows)[number]).application_id)) sum.stale++;
    else sum.unknown++;
  }
  return sum;
}

/** Reads the national reply feed from the stored cursor to its end; each page is applied and the cursor moved in one transaction. */
export async function pollFeedback(
  kernel: Kernel,
  run: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
  opts: { pageSize?: number } = {},
): Promise<ApplySummary & { pages: number }> {
  const sum = { received: 0, duplicates: 0, applied: 0, stale: 0, unknown: 0, pages: 0 };
  const limit = opts.pageSize ?? 500;
  for (;;) {
    const c = (await run((tx) => tx.query<{ last_seq: number }>('select last_seq from cs_sync_cursor where id = 1')))[0]!;
    let page: { items: Reply[]; last: number };
    try {
      page = await readNational(kernel, `/replies?after=${Number(c.last_seq)}&limit=${limit}`);
    } catch (e) {
      await run((tx) => tx.query('update cs_sync_cursor set last_error = $1, polled_at = now() where id = 1', [String((e as Error).message).slice(0, 500)]));
      throw e;
    }
    const r = await run(async (tx) => {
      const s = await applyReplies(tx, page.items);
      await tx.query('update cs_sync_cursor set last_seq = greatest(last_seq, $1), polled_at = now(), last_error = null where id = 1', [page.last]);
      return s;
    });
    sum.pages++;
    for (const k of ['received', 'duplicates', 'applied', 'stale', 'unknown'] as const) sum[k] += r[k];
    if (page.items.length < limit) return sum;
  }
}

/**
 * The national system's field requirements for an application (信息预填 checks drafts against them).
 * Replaces the stored list when it differs; a changed list makes the next screening a full one.
 */
export async function refreshRequirements(kernel: Kernel, run: (fn: (tx: Queryable) => Promise<boolean>) => Promise<boolean>): Promise<boolean> {
  const r = await readNational<{ items: { field: string; title: string; required: boolean }[] }>(kernel, '/api/v1/field-requirements');
  const items = r.items.filter((i) => /^[a-z_]{1,40}$/.test(i.field) && typeof i.title === 'string' && typeof i.required === 'boolean');
  if (items.length === 0) return false;
  return run(async (tx) => {
    const have = await tx.query<{ field: string; title: string; required: boolean }>(
      'select field, title, required from cs_field_requirement order by sort, field',
    );
    if (JSON.stringify(have) === JSON.stringify(items.map((i) => ({ field: i.field, title: i.title.slice(0, 40), required: i.required })))) return false;
    await tx.query('delete from cs_field_requirement');
    await tx.query(
      'insert into cs_field_requirement (field, title, required, sort) select x.field, left(x.title, 40), x.required, x.sort from jsonb_to_recordset($1::jsonb) as x(field text, title text, required boolean, sort int)',
      [JSON.stringify(items.map((i, n) => ({ ...i, sort: n + 1 })))],
    );
    return true;
  });
}

/** The sync job: the field requirements, uploads of newly approved applications, then the national feedback. */
export async function runSync(
  ctx: Pick<JobContext, 'kernel' | 'transaction'>,
): Promise<{ queued: number; feedback: ApplySummary & { pages: number; error?: string }; requirementsChanged?: boolean }> {
  // The requirements are only needed for the next screening: a failed read does not hold the uploads up.
  const requirementsChanged = await refreshRequirements(ctx.kernel, (fn) => ctx.transaction((tx) => fn(tx))).catch(() => undefined);
  const queued = await ctx.transaction((tx, audit: AuditBuffer) => {
    return queueUploads(tx, ctx.kernel.keys).then((ids) => {
      if (ids.length) audit.write({ action: 'childcare-subsidy.sync.upload', objectType: 'cs_application', objectId: ids[0], after: { queued: ids.length } });
      return ids;
    });
  });
  if (queued.length) (ctx.kernel.services.integration as { wake(): void } | undefined)?.wake();
  // The national system may be down: the uploads wait in the outbox, the cursor and its error are kept
  // (shown in the console), and the next run reads on from there.
  let feedback: ApplySummary & { pages: number; error?: string };
  try {
    feedback = await pollFeedback(ctx.kernel, (fn) => ctx.transaction((tx) => fn(tx)));
  } catch (e) {
    if (!(e instanceof NationalReadError)) throw e;
    feedback = { received: 0, duplicates: 0, applied: 0, stale: 0, unknown: 0, pages: 0, error: e.message };
  }
  return { queued: queued.length, feedback, requirementsChanged };
}

export const syncJob: JobDef = {
  name: SYNC_JOB,
  title: '育儿补贴与国家系统同步（上传申领、读取反馈）',
  defaultCron: '* * * * *',
  defaultEnabled: true,
  handler: async (ctx) => {
    const r = await runSync(ctx);
    if (r.feedback.error) await ctx.log(`读取国家系统反馈失败（下次继续）：${r.feedback.error}`);
    if (r.queued || r.feedback.received)
      await ctx.log(
        `上传排队 ${r.queued} 件；反馈 ${r.feedback.received} 条（生效 ${r.feedback.applied}，重复 ${r.feedback.duplicates}，过时 ${r.feedback.stale}）`,
      );
    return r;
  },
};
