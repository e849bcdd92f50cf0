import { QC_SYSTEM } from '../../../platform/integration/adapters/fd-qc-platform.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enqueueMessage } from '../../../platform/integration/outbox.ts';
import type { JobDef } from '../../../platform/jobs/types.ts';
import { QcQueued, QcStatus } from './responses.ts';

/**
 * Outward data (deliverable 14).
 *
 * 镜像库: fd_contract and fd_contract_event are mirrored by triggers into the schema fd_mirror, in the
 * same transaction as the write (migration 011). Chosen over an outbox-fed mirror because the mirror lives
 * in our own database: a trigger cannot lag, cannot be forgotten by a new write path (the world's COPY,
 * a merge, a future module all pass through it), and can never hold a state that was rolled back. Other
 * consumers get read access to that schema only.
 *
 * 质控平台推送: a scheduled job takes from the mirror what changed since it was last queued, and writes
 * outbox messages (data sets of up to BATCH rows) for the family-doctor QC platform, marking the rows
 * queued in the same transaction. The outbox retries until the receiver takes them, so nothing is lost
 * while it is down; a row changed again is queued again with its new state.
 */
export { QC_SYSTEM };
export const QC_TOPICS = { contracts: 'fd.qc.contracts', events: 'fd.qc.contract-events' } as const;
const BATCH = 500;
const MAX_MESSAGES_PER_TX = 20;

interface MirrorContract {
  contract_id: number;
  person_id: number;
  institution_id: number;
  team_id: number | null;
  doctor_id: number;
  district_hospital_id: number | null;
  city_hospital_id: number | null;
  district_code: string;
  street_code: string | null;
  signed_on: string;
  cycle_start: string;
  cycle_end: string;
  cycle_years: number;
  channel: string;
  status: string;
  terminated_on: string | null;
  termination_initiator: string | null;
  termination_reason: string | null;
  tags: string[];
  version: number;
  change_seq: number;
}

interface MirrorEvent {
  event_id: number;
  contract_id: number;
  person_id: number;
  kind: string;
  initiator: string;
  reason: string | null;
  channel: string | null;
  tags: string[];
  on_date: string;
  at: Date | string;
  district_code: string;
  institution_id: number;
  doctor_id: number;
}

const contractRecord = (r: MirrorContract) => ({
  contractId: Number(r.contract_id),
  personId: Number(r.person_id),
  institutionId: Number(r.institution_id),
  teamId: r.team_id == null ? null : Number(r.team_id),
  doctorId: Number(r.doctor_id),
  districtHospitalId: r.district_hospital_id == null ? null : Number(r.district_hospital_id),
  cityHospitalId: r.city_hospital_id == null ? null : Number(r.city_hospital_id),
  districtCode: r.district_code,
  streetCode: r.street_code,
  signedOn: r.signed_on,
  cycleStart: r.cycle_start,
  cycleEnd: r.cycle_end,
  cycleYears: r.cycle_years,
  channel: r.channel,
  status: r.status,
  terminatedOn: r.terminated_on,
  terminationInitiator: r.termination_initiator,
  terminationReason: r.termination_reason,
  tags: r.tags,
  version: r.version,
});

const eventRecord = (e: MirrorEvent) => ({
  eventId: Number(e.event_id),
  contractId: Number(e.contract_id),
  personId: Number(e.person_id),
  kind: e.kind,
  initiator: e.initiator,
  reason: e.reason,
  channel: e.channel,
  tags: e.tags,
  onDate: e.on_date,
  at: e.at instanceof Date ? e.at.toISOString() : e.at,
  districtCode: e.district_code,
  institutionId: Number(e.institution_id),
  doctorId: Number(e.doctor_id),
});

/** Queues up to MAX_MESSAGES_PER_TX data sets of one kind in `tx`; returns the rows queued (0 = nothing left). */
export async function queueQcBatch(tx: Queryable, dataset: 'contracts' | 'events'): Promise<{ rows: number; messages: number }> {
  const push = (await tx.query<{ id: number }>(`insert into fd_qc_push (dataset, rows, messages) values ($1, 0, 0) returning id`, [dataset]))[0]!;
  let rows = 0;
  let messages = 0;
  let first: number | null = null;
  for (let i = 0; i < MAX_MESSAGES_PER_TX; i++) {
    let ids: number[];
    let payload: Record<string, unknown>;
    if (dataset === 'contracts') {
      const batch = await tx.query<MirrorContract>('select * from fd_mirror_qc_pending_contracts($1)', [BATCH]);
      if (!batch.length) break;
      ids = batch.map((r) => Number(r.contract_id));
      await tx.query('select fd_mirror_qc_mark_contracts($1::bigint[], $2::bigint[])', [ids, batch.map((r) => Number(r.change_seq))]);
      payload = { dataset: 'contracts', pushId: Number(push.id), part: i + 1, records: batch.map(contractRecord) };
    } else {
      const batch = await tx.query<MirrorEvent>('select * from fd_mirror_qc_pending_events($1)', [BATCH]);
      if (!batch.length) break;
      ids = batch.map((r) => Number(r.event_id));
      await tx.query('select fd_mirror_qc_mark_events($1::bigint[])', [ids]);
      payload = { dataset: 'contract-events', pushId: Number(push.id), part: i + 1, records: batch.map(eventRecord) };
    }
    const m = await enqueueMessage(tx, { system: QC_SYSTEM, topic: QC_TOPICS[dataset], key: `qc:${dataset}:push${push.id}:part${i + 1}`, payload });
    first ??= m.id;
    rows += ids.length;
    messages++;
  }
  if (messages === 0) await tx.query('delete from fd_qc_push where id = $1', [push.id]);
  else await tx.query('update fd_qc_push set rows = $2, messages = $3, first_message_id = $4 where id = $1', [push.id, rows, messages, first]);
  return { rows, messages };
}

/** Everything pending, a transaction at a time; `transaction` runs as the system principal (job) or the caller (route). */
export async function queueAllQc(
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
): Promise<{ contracts: number; events: number; messages: number }> {
  const out = { contracts: 0, events: 0, messages: 0 };
  for (const dataset of ['contracts', 'events'] as const) {
    for (;;) {
      const r = await transaction((tx) => queueQcBatch(tx, dataset));
      out[dataset] += r.rows;
      out.messages += r.messages;
      if (r.rows === 0) break;
    }
  }
  return out;
}

export const qcPushJob: JobDef = {
  name: 'family-doctor.qc-push',
  title: '签约数据推送家庭医生质控平台',
  defaultCron: '0 * * * *',
  defaultEnabled: true,
  retries: 3,
  backoffSeconds: 60,
  async handler(ctx) {
    const r = await queueAllQc((fn) => ctx.transaction((tx) => fn(tx)));
    await ctx.log(`排入发件箱：签约 ${r.contracts} 条，签约记录 ${r.events} 条，共 ${r.messages} 个数据包`);
    return r;
  },
};

export const qcStatusRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/outward/status',
  summary: '镜像库与质控平台推送状态',
  auth: 'staff',
  permission: 'family-doctor.admin',
  response: { 200: QcStatus },
  handler: async (ctx) => {
    const s = (
      await ctx.tx.query<{ contracts: number; events: number; pending_contracts: number; pending_events: number; last_mirrored: Date | null }>(
        'select * from fd_mirror_stats()',
      )
    )[0]!;
    const pushes = await ctx.tx.query<{ id: number; dataset: string; rows: number; messages: number; at: Date }>(
      'select id, dataset, rows, messages, at from fd_qc_push order by id desc limit 20',
    );
    const outbox = await ctx.tx.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from outbox_message where system = $1 group by status`,
      [QC_SYSTEM],
    );
    return {
      mirror: { contracts: Number(s.contracts), events: Number(s.events), lastMirroredAt: s.last_mirrored },
      pending: { contracts: Number(s.pending_contracts), events: Number(s.pending_events) },
      outbox: Object.fromEntries(outbox.map((o) => [o.status, o.n])),
      pushes: pushes.map((p) => ({ id: Number(p.id), dataset: p.dataset, rows: p.rows, messages: p.messages, at: p.at })),
    };
  },
});

export const qcPushNowRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/outward/qc-push',
  summary: '立即推送签约数据到家庭医生质控平台',
  description: '把镜像库中尚未推送的变化排入发件箱（与定时任务相同）；接收方不可用时消息留在发件箱重试。',
  auth: 'staff',
  permission: 'family-doctor.admin',
  response: { 200: QcQueued },
  handler: async (ctx) => {
    const r = await queueAllQc((fn) => fn(ctx.tx));
    ctx.audit.write({ action: 'family-doctor.qc-push', objectType: 'fd_qc_push', after: r });
    return r;
  },
});
