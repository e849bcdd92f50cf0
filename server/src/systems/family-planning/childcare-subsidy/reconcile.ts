// 对账 (ours vs theirs): every application we approved against the national system's list. Three kinds
// of mismatch: missing on their side (approved here, unknown there), missing on ours (held there, not
// an approved application here), status differs (their status is not the one their feedback gave us).
import type { Queryable } from '../../../platform/db/types.ts';
import type { JobContext, JobDef } from '../../../platform/jobs/types.ts';
import { readNational } from './national.ts';

export const RECONCILE_JOB = 'childcare-subsidy.reconcile';
export const MISMATCH_KINDS = ['missing_theirs', 'missing_ours', 'status_differs'] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];
export const MISMATCH_TITLE: Record<MismatchKind, string> = { missing_theirs: '国家系统缺失', missing_ours: '本地缺失', status_differs: '状态不一致' };

export interface TheirRecord {
  applicationId: number;
  status: string;
  reason: string | null;
}

interface OurRow {
  id: string;
  status: string;
  national_status: string | null;
  sync_message_id: string | null;
  district_code: string | null;
  street_code: string | null;
}

export interface Mismatch {
  application_id: number;
  kind: MismatchKind;
  ours_status: string | null;
  theirs_status: string | null;
  theirs_reason: string | null;
  district_code: string | null;
  street_code: string | null;
}

/** What we believe the national side holds for an application: its feedback status, 'uploading' before any. */
export function oursAsTheirs(r: Pick<OurRow, 'status' | 'national_status' | 'sync_message_id'>): string {
  if (r.status !== 'approved') return r.status;
  if (r.national_status) return r.national_status;
  return r.sync_message_id ? 'uploading' : 'not_uploaded';
}

/** Pure comparison (tested on its own). 'received' there equals 'uploading' here (no feedback yet). */
export function compare(ours: readonly OurRow[], theirs: readonly TheirRecord[]): { mismatches: Mismatch[]; matched: number } {
  const byId = new Map(theirs.map((t) => [t.applicationId, t]));
  const ourIds = new Set<number>();
  const mismatches: Mismatch[] = [];
  let matched = 0;
  for (const o of ours) {
    const id = Number(o.id);
    ourIds.add(id);
    const t = byId.get(id);
    const mine = oursAsTheirs(o);
    const base = { application_id: id, ours_status: mine, district_code: o.district_code, street_code: o.street_code };
    if (!t) {
      if (o.status === 'approved') mismatches.push({ ...base, kind: 'missing_theirs', theirs_status: null, theirs_reason: null });
      continue;
    }
    if (o.status !== 'approved') {
      mismatches.push({ ...base, kind: 'missing_ours', theirs_status: t.status, theirs_reason: t.reason });
      continue;
    }
    const same = t.status === mine || (t.status === 'received' && mine === 'uploading');
    if (same) matched++;
    else mismatches.push({ ...base, kind: 'status_differs', theirs_status: t.status, theirs_reason: t.reason });
  }
  for (const t of theirs) {
    if (!ourIds.has(t.applicationId))
      mismatches.push({
        application_id: t.applicationId,
        kind: 'missing_ours',
        ours_status: null,
        theirs_status: t.status,
        theirs_reason: t.reason,
        district_code: null,
        street_code: null,
      });
  }
  return { mismatches, matched };
}

export async function fetchTheirs(kernel: JobContext['kernel'], pageSize = 5000): Promise<TheirRecord[]> {
  const out: TheirRecord[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await readNational<{ items: TheirRecord[]; total: number }>(kernel, `/api/v1/applications?offset=${offset}&limit=${pageSize}`);
    out.push(...page.items.map((x) => ({ applicationId: Number(x.applicationId), status: String(x.status), reason: x.reason ?? null })));
    if (page.items.length < pageSize) return out;
  }
}

export async function insertReconciliation(tx: Queryable, by: string): Promise<number> {
  const r = (await tx.query<{ id: string }>('insert into cs_reconciliation (requested_by) values ($1) returning id::text as id', [by]))[0]!;
  return Number(r.id);
}

/** Runs reconciliation `id`: their list first (outside any transaction), then ours and the report in one transaction. */
export async function reconcile(ctx: Pick<JobContext, 'kernel' | 'transaction'>, id: number) {
  await ctx.transaction((tx) => tx.query(`update cs_reconciliation set status = 'running' where id = $1`, [id]));
  try {
    const theirs = await fetchTheirs(ctx.kernel);
    return await ctx.transaction(async (tx, audit) => {
      const ours = await tx.query<OurRow>(
        `select id::text as id, status, national_status, sync_message_id::text as sync_message_id, district_code, street_code
           from cs_application where status = 'approved' or id = any($1::bigint[])`,
        [theirs.map((t) => t.applicationId)],
      );
      const { mismatches, matched } = compare(ours, theirs);
      for (let i = 0; i < mismatches.length; i += 2000) {
        await tx.query(
          `insert into cs_reconciliation_item (reconciliation_id, application_id, kind, ours_status, theirs_status, theirs_reason, district_code, street_code)
           select $1, x.application_id, x.kind, x.ours_status, x.theirs_status, x.theirs_reason, x.district_code, x.street_code
             from jsonb_to_recordset($2::jsonb) as x(application_id bigint, kind text, ours_status text, theirs_status text, theirs_reason text, district_code text, street_code text)`,
          [id, JSON.stringify(mismatches.slice(i, i + 2000))],
        );
      }
      const count = (k: MismatchKind) => mismatches.filter((m) => m.kind === k).length;
      const result = {
        ours: ours.filter((o) => o.status === 'approved').length,
        theirs: theirs.length,
        matched,
        missing_theirs: count('missing_theirs'),
        missing_ours: count('missing_ours'),
        status_differs: count('status_differs'),
      };
      await tx.query(
        `update cs_reconciliation set status = 'succeeded', ours = $2, theirs = $3, matched = $4, missing_theirs = $5, missing_ours = $6, status_differs = $7, finished_at = now() where id = $1`,
        [id, result.ours, result.theirs, result.matched, result.missing_theirs, result.missing_ours, result.status_differs],
      );
      audit.write({ action: 'childcare-subsidy.reconcile', objectType: 'cs_reconciliation', objectId: id, after: result });
      return { id, ...result };
    });
  } catch (e) {
    await ctx.transaction((tx) =>
      tx.query(`update cs_reconciliation set status = 'failed', error = $2, finished_at = now() where id = $1`, [
        id,
        String((e as Error).message).slice(0, 500),
      ]),
    );
    throw e;
  }
}

export const reconcileJob: JobDef = {
  name: RECONCILE_JOB,
  title: '育儿补贴与国家系统对账',
  defaultCron: '30 2 * * *',
  defaultEnabled: true,
  handler: async (ctx, payload) => {
    let id = Number(payload.reconciliationId);
    if (!Number.isSafeInteger(id) || id < 1) id = await ctx.transaction((tx) => insertReconciliation(tx, 'system'));
    const r = await reconcile(ctx, id);
    await ctx.log(
      `对账 #${id}：本地 ${r.ours}，国家 ${r.theirs}，一致 ${r.matched}；国家缺失 ${r.missing_theirs}，本地缺失 ${r.missing_ours}，状态不一致 ${r.status_differs}`,
    );
    return r;
  },
};
