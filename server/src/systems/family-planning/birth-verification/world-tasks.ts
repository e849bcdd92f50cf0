import { AuditBuffer } from '../../../platform/audit/event.ts';
import { dateOfDay, dayNumber } from '../../../platform/world/identity.ts';
import type { WorldContext, WorldStage } from '../../../platform/world/types.ts';
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
      columns: ['id', 'certificate_no', 'batch_id', 'source_date', 'status', 'district_code', 'street_code', 'child_name', 'birth_date', 'child_person_id', 'mother_name', 'mother_id_enc', 'mother_person_id', 'father_person_id', 'precheck'],
      sealed: ['mother_id_enc'],
    },
    { table: 'fp_verify_task_event', orderBy: 'id', columns: ['id', 'task_id', 'action', 'to_status', 'version', 'actor'] },
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
    let done = 0;
    for (const [day, records] of [...byDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
      await ctx.db.transaction(async (tx) => {
        const batchId = await tasks.startBatch(tx, day, 'system');
        const counts = await ingestRecords({ tx, kernel: { keys: ctx.keys }, audit: new AuditBuffer() }, { id: batchId, sourceDate: day }, records, { today: ctx.asOf, actor: 'system' });
        await tasks.finishBatch(tx, batchId, { status: 'done', ...counts });
      });
      done += records.length;
      ctx.progress('出生监测核实任务', done, feed.length);
    }
  },
};

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
