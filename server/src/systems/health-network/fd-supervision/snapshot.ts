import { Type } from '@sinclair/typebox';
import type { Queryable } from '../../../platform/db/types.ts';
import { fieldError } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enqueueJobOnce } from '../../../platform/jobs/enqueue.ts';
import type { JobDef } from '../../../platform/jobs/types.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { SnapshotQueued } from './responses.ts';

/**
 * The daily monitoring snapshot (每日红黄绿监测): for day D, per doctor × residence street, the active
 * contracts by colour at the end of D and the day's signings, terminations (by initiator), transfers and
 * renewals (by the colour the contract had when renewed). Reads family-doctor's contract and event
 * tables in one set-based statement per day (a report over that module's data, kept in this file).
 * Re-running a day replaces that day's rows.
 */

export interface ColourPolicy {
  yellowBeforeDays: number;
  yellowAfterDays: number;
}

export async function colourPolicy(tx: Queryable): Promise<ColourPolicy> {
  const rows = await tx.query<{ key: string; value: number }>(`select key, value from fd_setting_v where key in ('yellow_before_days', 'yellow_after_days')`);
  const m = new Map(rows.map((r) => [r.key, r.value]));
  return { yellowBeforeDays: m.get('yellow_before_days') ?? 60, yellowAfterDays: m.get('yellow_after_days') ?? 90 };
}

const KEYS = `district_code, coalesce(street_code, '') as street_code, institution_id, coalesce(team_id, 0) as team_id, doctor_id`;

export async function generateSnapshot(tx: Queryable, day: string, p?: ColourPolicy): Promise<number> {
  const policy = p ?? (await colourPolicy(tx));
  await tx.query('delete from fs_daily_snapshot where snap_date = $1', [day]);
  const r = (
    await tx.query<{ n: number }>(
      `with c as (
       select ${KEYS},
              count(*) filter (where cycle_end > $1::date + $2::int) as green,
              count(*) filter (where cycle_end between $1::date - $3::int and $1::date + $2::int) as yellow,
              count(*) filter (where cycle_end < $1::date - $3::int) as red
         from fd_contract_v
        where signed_on <= $1::date and (terminated_on is null or terminated_on > $1::date)
        group by 1, 2, 3, 4, 5),
     e as (
       select ${KEYS},
              count(*) filter (where kind in ('sign', 'change_doctor')) as signed_new,
              count(*) filter (where kind = 'terminate') as terminated,
              count(*) filter (where kind = 'terminate' and initiator = 'resident') as terminated_resident,
              count(*) filter (where kind = 'terminate' and initiator = 'doctor') as terminated_doctor,
              count(*) filter (where kind = 'terminate' and initiator = 'system') as terminated_system,
              count(*) filter (where kind in ('transfer', 'transfer_in_community')) as transferred,
              count(*) filter (where kind = 'renew' and (before ->> 'cycleEnd')::date > $1::date + $2::int) as renewed_green,
              count(*) filter (where kind = 'renew' and ((before ->> 'cycleEnd') is null or (before ->> 'cycleEnd')::date <= $1::date + $2::int)) as renewed_yellow
         from fd_contract_event_v
        where on_date = $1::date
        group by 1, 2, 3, 4, 5),
     ins as (
       insert into fs_daily_snapshot (snap_date, district_code, street_code, institution_id, team_id, doctor_id, green, yellow, red, signed_new, terminated,
              terminated_resident, terminated_doctor, terminated_system, transferred, renewed_green, renewed_yellow)
       select $1::date, coalesce(c.district_code, e.district_code), coalesce(c.street_code, e.street_code), coalesce(c.institution_id, e.institution_id),
              coalesce(c.team_id, e.team_id), coalesce(c.doctor_id, e.doctor_id),
              coalesce(c.green, 0), coalesce(c.yellow, 0), coalesce(c.red, 0), coalesce(e.signed_new, 0), coalesce(e.terminated, 0),
              coalesce(e.terminated_resident, 0), coalesce(e.terminated_doctor, 0), coalesce(e.terminated_system, 0), coalesce(e.transferred, 0),
              coalesce(e.renewed_green, 0), coalesce(e.renewed_yellow, 0)
         from c full join e on c.district_code = e.district_code and c.street_code = e.street_code and c.institution_id = e.institution_id
                          and c.team_id = e.team_id and c.doctor_id = e.doctor_id
       returning 1)
     select count(*)::int as n from ins`,
      [day, policy.yellowBeforeDays, policy.yellowAfterDays],
    )
  )[0]!;
  return r.n;
}

export const SNAPSHOT_JOB = 'fd-supervision.daily-snapshot';

/** Daily just after midnight: yesterday's figures (payload { date } regenerates a given day). */
export const snapshotJob: JobDef = {
  name: SNAPSHOT_JOB,
  title: '家庭医生签约每日监测快照',
  defaultCron: '20 0 * * *',
  defaultEnabled: true,
  retries: 2,
  backoffSeconds: 120,
  async handler(ctx, payload) {
    const day = typeof payload.date === 'string' ? payload.date : yesterday();
    const rows = await ctx.transaction((tx) => generateSnapshot(tx, day));
    await ctx.log(`${day} 每日监测快照：${rows} 行`);
    return { date: day, rows };
  },
};

export function yesterday(): string {
  const d = new Date(Date.parse(`${todayInShanghai()}T00:00:00Z`) - 86_400_000);
  return d.toISOString().slice(0, 10);
}

export const regenerateRoute = defineRoute({
  method: 'POST',
  url: '/fd-supervision/daily/generate',
  summary: '重新生成某日监测快照',
  description: '排队生成指定日期（默认昨天）的全市每日监测快照。',
  auth: 'staff',
  permission: 'fd-supervision.generate',
  action: 'fd-supervision.daily.generate',
  body: Type.Object({ date: Type.Optional(Type.String({ format: 'date', maxLength: 10 })) }, { additionalProperties: false }),
  successStatus: 202,
  response: { 202: SnapshotQueued },
  handler: async (ctx, { body }) => {
    const date = body.date ?? yesterday();
    if (date > todayInShanghai()) throw fieldError('date', '不能生成未来日期的快照');
    const { runId, existing } = await enqueueJobOnce(ctx.tx, SNAPSHOT_JOB, { date }, 'manual', ctx.principal.username);
    return { runId, existing, date };
  },
});
