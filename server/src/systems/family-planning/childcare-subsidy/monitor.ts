// 全过程监控: the funnel screened → pre-filled → SMS sent → confirmed → approved → synced, by day and
// district, from the records themselves (no separate counters to drift). Each stage has its successes,
// its exceptions (failures) and what is still in progress. Read in the caller's transaction, so row-level
// security limits a district admin to their district. Alerts: a stage whose failure rate on a day
// passes its configured threshold (with at least min_volume cases) notifies the responsible users once.
import type { AuditBuffer } from '../../../platform/audit/event.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import type { JobDef } from '../../../platform/jobs/types.ts';
import { notifyRoles } from '../../../platform/notifications/index.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';

export const STAGES = ['screened', 'prefilled', 'sms_sent', 'confirmed', 'approved', 'synced'] as const;
export type Stage = (typeof STAGES)[number];
export const STAGE_TITLE: Record<Stage, string> = {
  screened: '筛选符合',
  prefilled: '信息预填',
  sms_sent: '短信送达',
  confirmed: '家长确认',
  approved: '审批通过',
  synced: '国家系统受理',
};
/** What counts as an exception at each stage (shown with the figures). */
export const FAILURE_TITLE: Record<Stage, string> = {
  screened: '父母及出生信息未核实',
  prefilled: '预填信息不完整',
  sms_sent: '短信发送失败（死信）',
  confirmed: '链接过期未确认',
  approved: '审核未通过',
  synced: '国家系统退回或上传失败',
};
export const MONITOR_JOB = 'childcare-subsidy.monitor';

export interface FunnelRow {
  day: string;
  districtCode: string | null;
  stage: Stage;
  ok: number;
  failed: number;
  pending: number;
}

const DAY = (col: string) => `(${col} at time zone 'Asia/Shanghai')::date`;

/** One row per (day, district, stage) between from and to (inclusive, Shanghai days). */
export async function funnelRows(tx: Queryable, from: string, to: string, district?: string): Promise<FunnelRow[]> {
  const rows = await tx.query<{ day: string; district_code: string | null; stage: Stage; ok: number; failed: number; pending: number }>(
    `with runs as (
       select distinct on (${DAY('finished_at')}) id, ${DAY('finished_at')} as day
         from cs_screening_run where status = 'succeeded' and ${DAY('finished_at')} between $1::date and $2::date
        order by ${DAY('finished_at')}, id desc
     ), screening as (
       select r.day, k.district_code,
              count(*) filter (where k.eligible)::int as screened_ok,
              count(*) filter (where 'parents_unverified' = any(k.reasons))::int as screened_failed,
              count(*) filter (where k.eligible and k.prefill_complete)::int as prefilled_ok,
              count(*) filter (where k.eligible and not coalesce(k.prefill_complete, false))::int as prefilled_failed
         from runs r join cs_candidate k on k.run_id = r.id
        where $3::text is null or k.district_code = $3
        group by 1, 2
     ), events as (
       select ${DAY('coalesce(m.delivered_at, a.created_at)')} as day, a.district_code, 'sms_sent' as stage,
              (m.status = 'delivered')::int as ok, (m.status = 'dead')::int as failed, (m.status is distinct from 'delivered' and m.status is distinct from 'dead')::int as pending
         from cs_application a left join outbox_message m on m.id = a.sms_message_id
       union all
       select ${DAY('coalesce(a.confirmed_at, least(a.token_expires_at, greatest(now(), a.created_at)))')}, a.district_code, 'confirmed',
              (a.confirmed_at is not null)::int, (a.confirmed_at is null and a.token_expires_at <= now())::int, (a.confirmed_at is null and a.token_expires_at > now())::int
         from cs_application a
       union all
       select ${DAY('coalesce(a.decided_at, a.confirmed_at)')}, a.district_code, 'approved',
              (a.status = 'approved')::int, (a.status = 'rejected')::int, (a.status = 'manual_review')::int
         from cs_application a where a.confirmed_at is not null
       union all
       select ${DAY('coalesce(a.national_updated_at, a.sync_queued_at)')}, a.district_code, 'synced',
              (a.national_status in ('accepted', 'paid'))::int, (a.national_status = 'rejected' or (a.national_status is null and m.status = 'dead'))::int,
              (a.national_status is null and m.status is distinct from 'dead')::int
         from cs_application a left join outbox_message m on m.id = a.sync_message_id where a.sync_message_id is not null
     )
     select day::text as day, district_code, 'screened' as stage, screened_ok as ok, screened_failed as failed, 0 as pending from screening
     union all
     select day::text, district_code, 'prefilled', prefilled_ok, prefilled_failed, 0 from screening
     union all
     select day::text, district_code, stage, sum(ok)::int, sum(failed)::int, sum(pending)::int from events
      where day between $1::date and $2::date and ($3::text is null or district_code = $3)
      group by day, district_code, stage
     order by 1, 2, 3`,
    [from, to, district ?? null],
  );
  return rows.map((r) => ({
    day: r.day,
    districtCode: r.district_code,
    stage: r.stage,
    ok: Number(r.ok),
    failed: Number(r.failed),
    pending: Number(r.pending),
  }));
}

export interface StageTotal {
  stage: Stage;
  title: string;
  failureTitle: string;
  ok: number;
  failed: number;
  pending: number;
  /** ok / (ok + failed); null without finished cases. */
  successRate: number | null;
  /** ok of this stage / ok of the stage before (conversion). */
  conversion: number | null;
}

const rate = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 10_000) / 10_000 : null);

/**
 * Totals per stage. Screening and pre-fill are snapshots of a screening version: their totals are those
 * of the latest day in the range (the same child is screened again every day); the other stages add up.
 */
export function funnelTotals(rows: readonly FunnelRow[]): StageTotal[] {
  const lastScreenDay =
    rows
      .filter((r) => r.stage === 'screened')
      .map((r) => r.day)
      .sort()
      .at(-1) ?? '';
  const totals = STAGES.map((stage) => {
    const of = rows.filter((r) => r.stage === stage && (stage === 'screened' || stage === 'prefilled' ? r.day === lastScreenDay : true));
    const sum = (k: 'ok' | 'failed' | 'pending') => of.reduce((a, r) => a + r[k], 0);
    return { stage, title: STAGE_TITLE[stage], failureTitle: FAILURE_TITLE[stage], ok: sum('ok'), failed: sum('failed'), pending: sum('pending') };
  });
  return totals.map((t, i) => ({ ...t, successRate: rate(t.ok, t.ok + t.failed), conversion: i === 0 ? null : rate(t.ok, totals[i - 1]!.ok) }));
}

export interface Threshold {
  stage: Stage;
  maxFailureRate: number;
  minVolume: number;
}

export async function thresholds(tx: Queryable): Promise<Threshold[]> {
  const rows = await tx.query<{ stage: Stage; max_failure_rate: number; min_volume: number }>(
    'select stage, max_failure_rate, min_volume from cs_monitor_threshold',
  );
  const by = new Map(rows.map((r) => [r.stage, r]));
  return STAGES.map((s) => ({ stage: s, maxFailureRate: Number(by.get(s)?.max_failure_rate ?? 1), minVolume: Number(by.get(s)?.min_volume ?? 1) }));
}

export async function saveThresholds(tx: Queryable, items: readonly Threshold[], by: string): Promise<void> {
  await tx.query(
    `update cs_monitor_threshold t set max_failure_rate = x.rate, min_volume = x.vol, updated_by = $2, updated_at = now()
       from jsonb_to_recordset($1::jsonb) as x(stage text, rate numeric, vol int) where t.stage = x.stage`,
    [JSON.stringify(items.map((i) => ({ stage: i.stage, rate: i.maxFailureRate, vol: i.minVolume }))), by],
  );
}

export interface Breach {
  stage: Stage;
  districtCode: string | null;
  failed: number;
  total: number;
  failureRate: number;
  threshold: number;
}

/** Pure: the (stage, district) pairs and the whole city whose failure rate passes the threshold. */
export function breaches(rows: readonly FunnelRow[], limits: readonly Threshold[]): Breach[] {
  const out: Breach[] = [];
  const groups = new Map<string, { stage: Stage; districtCode: string | null; ok: number; failed: number }>();
  for (const r of rows) {
    for (const d of [r.districtCode, '*']) {
      const k = `${r.stage}|${d}`;
      const g = groups.get(k) ?? { stage: r.stage, districtCode: d === '*' ? null : d, ok: 0, failed: 0 };
      g.ok += r.ok;
      g.failed += r.failed;
      groups.set(k, g);
    }
  }
  for (const g of groups.values()) {
    const lim = limits.find((l) => l.stage === g.stage);
    const total = g.ok + g.failed;
    if (!lim || total < lim.minVolume || total === 0) continue;
    const failureRate = g.failed / total;
    if (failureRate > lim.maxFailureRate)
      out.push({
        stage: g.stage,
        districtCode: g.districtCode,
        failed: g.failed,
        total,
        failureRate: Math.round(failureRate * 10_000) / 10_000,
        threshold: lim.maxFailureRate,
      });
  }
  return out;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Checks one day (default today): each new breach is recorded once and notifies the district admins
 * of that district (a city-wide breach: the city admins). Returns the breaches newly alerted.
 */
export async function checkAlerts(tx: Queryable, audit: AuditBuffer | null, day = todayInShanghai()): Promise<(Breach & { notified: number })[]> {
  const found = breaches(await funnelRows(tx, day, day), await thresholds(tx));
  const out: (Breach & { notified: number })[] = [];
  for (const b of found) {
    const [ins] = await tx.query<{ id: string }>(
      `insert into cs_monitor_alert (stage, district_code, day, failed, total, failure_rate, threshold, notified) values ($1, $2, $3, $4, $5, $6, $7, 0)
       on conflict do nothing returning id::text as id`,
      [b.stage, b.districtCode, day, b.failed, b.total, b.failureRate, b.threshold],
    );
    if (!ins) continue;
    const where = b.districtCode ? { district: b.districtCode } : {};
    const notified = await notifyRoles(tx, b.districtCode ? ['district_admin'] : ['city_admin'], where, {
      kind: 'subsidy.funnel-alert',
      title: `育儿补贴“${STAGE_TITLE[b.stage]}”环节失败率 ${pct(b.failureRate)}，超过阈值 ${pct(b.threshold)}`,
      body: `${day}${b.districtCode ? '' : ' 全市'}：${FAILURE_TITLE[b.stage]} ${b.failed} 件 / 共 ${b.total} 件。`,
      link: '/family-planning/childcare-subsidy?tab=monitor',
      key: `cs-monitor:${b.stage}:${b.districtCode ?? 'city'}:${day}`,
    });
    await tx.query('update cs_monitor_alert set notified = $2 where id = $1', [ins.id, notified]);
    out.push({ ...b, notified });
  }
  if (out.length && audit)
    audit.write({ action: 'childcare-subsidy.monitor.alert', objectType: 'cs_monitor_alert', objectId: day, after: { alerts: out.length } });
  return out;
}

export const monitorJob: JobDef = {
  name: MONITOR_JOB,
  title: '育儿补贴全过程监控（失败率告警）',
  defaultCron: '*/10 * * * *',
  defaultEnabled: true,
  handler: async (ctx) => {
    const alerts = await ctx.transaction((tx, audit) => checkAlerts(tx, audit));
    if (alerts.length)
      await ctx.log(
        `新告警 ${alerts.length} 条：${alerts.map((a) => `${STAGE_TITLE[a.stage]}${a.districtCode ? `（${a.districtCode}）` : '（全市）'} ${pct(a.failureRate)}`).join('；')}`,
      );
    return { alerts: alerts.length };
  },
};
