import { AuditBuffer } from '../../../platform/audit/event.ts';
import { dateOfDay, dayNumber } from '../../../platform/world/identity.ts';
import type { WorldContext, WorldStage } from '../../../platform/world/types.ts';
import { ingestDeaths } from './deaths.ts';
import { ingestRecords } from './intake.ts';
import * as tasks from './task-repository.ts';
import { mchFeedOf } from './world-feed.ts';

/**
 * Demo-world stage: the last RECENT_DAYS days of 市妇幼 births go through the daily channel as they would
 * have arrived (one batch per day, the day after the birth), so the streets have verification tasks to
 * work on at first start. Their 社区云 messages wait in the outbox until the simulators run.
 */
export const TASKS_STAGE = 'family-planning.birth-tasks';
export const RECENT_DAYS = 90;

export const birthTasksWorld: WorldStage = {
  name: TASKS_STAGE,
  order: 51,
  title: '出生监测核实任务',
  tables: [
    { table: 'fp_mch_batch', orderBy: 'id', columns: ['id', 'source_date', 'status', 'fetched', 'created', 'updated', 'unchanged', 'rejected'] },
    { table: 'fp_mch_rejected', orderBy: 'id', columns: ['id', 'batch_id', 'row_no', 'raw', 'reasons'] },
    {
      table: 'fp_verify_task',
      orderBy: 'id',
      columns: [
        'id',
        'certificate_no',
        'batch_id',
        'source_date',
        'status',
        'district_code',
        'street_code',
        'child_name',
        'birth_date',
        'child_person_id',
        'mother_name',
        'mother_id_enc',
        'mother_person_id',
        'father_person_id',
        'precheck',
      ],
      sealed: ['mother_id_enc'],
    },
    { table: 'fp_verify_task_event', orderBy: 'id', columns: ['id', 'task_id', 'action', 'to_status', 'version', 'actor'] },
    {
      table: 'fp_mch_death',
      orderBy: 'id',
      columns: ['id', 'batch_id', 'report_no', 'category', 'name', 'id_masked', 'certificate_no', 'death_date', 'person_id', 'outcome'],
    },
    // Not filled here, but referencing the tasks: emptied with them when the world is reset.
    { table: 'fp_assist_request', orderBy: 'id', columns: ['id', 'task_id', 'status'] },
  ],
  run: async (ctx: WorldContext) => {
    const asOf = dayNumber(ctx.asOf);
    const from = dateOfDay(asOf - RECENT_DAYS);
    const feed = await mchFeedOf(ctx.db, ctx.keys, `r.birth_date >= '${from}'`);
    const byDay = new Map<string, Record<string, unknown>[]>();
    for (const r of feed) {
      const day = dateOfDay(Math.min(asOf, dayNumber(String(r.CSRQ)) + 1));
      byDay.set(day, [...(byDay.get(day) ?? []), r]);
    }
    const deaths = await plantedDeaths(ctx, feed, asOf);
    for (const day of deaths.keys()) if (!byDay.has(day)) byDay.set(day, []);
    let done = 0;
    for (const [day, records] of [...byDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await ctx.db.transaction(async (tx) => {
        const batchId = await tasks.startBatch(tx, day, 'system');
        const audit = new AuditBuffer();
        const counts = await ingestRecords({ tx, kernel: { keys: ctx.keys }, audit }, { id: batchId, sourceDate: day }, records, {
          today: ctx.asOf,
          actor: 'system',
        });
        const d = await ingestDeaths({ tx, keys: ctx.keys, audit, batchId, actor: 'system', followUp: false }, deaths.get(day) ?? []);
        await tasks.finishBatch(tx, batchId, { status: 'done', ...counts, ...d });
      });
      done += records.length;
      ctx.progress('出生监测核实任务', done, feed.length);
    }
  },
};

/**
 * The world's 市妇幼 death reports: a few of the recent newborns die within days of birth (Shanghai's infant
 * mortality is about 2‰; a handful keeps the demo's 死亡报告 list alive). Reported the day after the death
 * through the same channel — one with the child's identity number, the others by 出生医学证明编号 only, as
 * a newborn's report often is. By report day, in the interface's shape.
 */
async function plantedDeaths(ctx: WorldContext, feed: Record<string, unknown>[], asOf: number): Promise<Map<string, Record<string, unknown>[]>> {
  const rng = ctx.rng('birth-tasks:deaths');
  const out = new Map<string, Record<string, unknown>[]>();
  const candidates = feed.filter((r) => dayNumber(String(r.CSRQ)) <= asOf - 10);
  const n = Math.min(candidates.length, Math.max(2, Math.round(feed.length / 400)), 6);
  const picked = new Set<number>();
  while (picked.size < n) picked.add(rng.int(0, candidates.length - 1));
  let i = 0;
  for (const k of [...picked].sort((a, b) => a - b)) {
    const r = candidates[k]!;
    const born = dayNumber(String(r.CSRQ));
    const died = Math.min(asOf - 2, born + rng.int(1, 7));
    const [child] = await ctx.db.query<{ id_number_enc: string }>(
      `select p.id_number_enc from fp_birth_record b join person p on p.id = b.child_person_id where b.certificate_no = $1 and b.source = 'mch' limit 1`,
      [r.CSYXZMBH],
    );
    const report = {
      BGKBH: `ETSW${dateOfDay(died + 1).replace(/-/g, '')}${String(++i).padStart(4, '0')}`,
      SWLB: '1',
      XM: r.XSEXM,
      XB: r.XSEXB,
      ZJHM: i === 1 && child ? ctx.keys.decryptField(child.id_number_enc) : '',
      CSYXZMBH: r.CSYXZMBH,
      CSRQ: r.CSRQ,
      SWRQ: dateOfDay(died),
      BGRQ: dateOfDay(died + 1),
      BGJGMC: r.JSJGMC,
    };
    out.set(report.BGRQ, [...(out.get(report.BGRQ) ?? []), report]);
  }
  return out;
}

/** The module's stage in the full demo world: the births, then the recent days through the channel. */
export const birthVerificationWorld = (births: WorldStage): WorldStage => ({
  name: births.name,
  order: births.order,
  title: `${births.title}、出生监测核实任务`,
  tables: [...(births.tables ?? []), ...(birthTasksWorld.tables ?? [])],
  run: async (ctx) => {
    await births.run(ctx);
    await birthTasksWorld.run(ctx);
  },
});
