import { AuditBuffer } from '../../../platform/audit/event.ts';
import { dateOfDay, dayNumber } from '../../../platform/world/identity.ts';
import type { WorldContext, WorldStage } from '../../../platform/world/types.ts';
import { ingestDeaths } from './deaths.ts';
import { writeLog } from './pull.ts';

const WORLD_BATCHES = "requested_by = 'world'";

/**
 * Demo-world stage: last month's 公安死亡注销户口 as the monthly pull would have received them — a few very old
 * residents (most of them under a family doctor's care) died and were deregistered by their 派出所. They go
 * through the same ingestion as a pull (recordFeedDeath, source 公安), so the demo shows the deaths in the
 * resident index, the process log, and (once the jobs run) the doctors' 死亡核实 tasks.
 */
export const householdDeathsWorld: WorldStage = {
  name: 'family-planning.household-deaths',
  order: 52,
  title: '公安死亡注销户口',
  tables: [
    { table: 'fp_hv_batch', orderBy: 'id', columns: ['id', 'month', 'status', 'deaths', 'deaths_recorded'], where: WORLD_BATCHES },
    {
      table: 'fp_hv_death',
      orderBy: 'id',
      columns: ['id', 'batch_id', 'dereg_no', 'name', 'id_masked', 'death_date', 'person_id', 'outcome'],
      where: `batch_id in (select id from fp_hv_batch where ${WORLD_BATCHES})`,
    },
    {
      table: 'fp_hv_log',
      orderBy: 'id',
      columns: ['id', 'batch_id', 'reg_no', 'kind', 'status', 'message'],
      where: `batch_id in (select id from fp_hv_batch where ${WORLD_BATCHES})`,
    },
  ],
  run: async (ctx: WorldContext) => {
    const asOf = dayNumber(ctx.asOf);
    const [y, m] = ctx.asOf.split('-').map(Number) as [number, number];
    const month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    const rng = ctx.rng('household-deaths');
    const old = await ctx.db.query<{
      id: number;
      name: string;
      sex: string;
      birth_date: string;
      id_number_enc: string;
      residence_street: string | null;
      has_doctor: boolean;
    }>(
      `select id::int as id, name, sex, birth_date::text, id_number_enc, residence_street, doctor_id is not null as has_doctor
         from person where status = 'alive' and id_type = 'resident_id' and birth_date <= $1::date - interval '85 years' order by doctor_id is null, id limit 200`,
      [ctx.asOf],
    );
    if (old.length === 0) return;
    const n = Math.min(old.length, Math.max(3, Math.round(ctx.residents / 20_000)), 12);
    const picked = new Set<number>();
    while (picked.size < n) picked.add(rng.int(0, Math.min(old.length, n * 4) - 1));
    const records = [...picked]
      .sort((a, b) => a - b)
      .map((k, i) => {
        const p = old[k]!;
        const died = Math.min(asOf - 1, dayNumber(`${month}-01`) + rng.int(0, 24));
        return {
          ZXBH: `ZX${month.replace('-', '')}${String(90_001 + i)}`,
          GMSFHM: ctx.keys.decryptField(p.id_number_enc),
          XM: p.name,
          XB: p.sex === 'F' ? '2' : '1',
          CSRQ: p.birth_date.replace(/-/g, ''),
          SWRQ: dateOfDay(died),
          ZXRQ: dateOfDay(Math.min(asOf - 1, died + rng.int(1, 5))),
          ZXYY: '死亡',
          SSPCSDM: `${p.residence_street ?? '310101001'}000`,
          SSPCSMC: '派出所',
        };
      });
    await ctx.db.transaction(async (tx) => {
      const b = (await tx.query<{ id: number }>(`insert into fp_hv_batch (month, requested_by) values ($1, 'world') returning id::int as id`, [month]))[0]!;
      const d = await ingestDeaths(
        {
          tx,
          keys: ctx.keys,
          audit: new AuditBuffer(),
          batchId: b.id,
          actor: 'system',
          followUp: false,
          log: (l) =>
            writeLog(tx, {
              batchId: b.id,
              regNo: l.regNo,
              kind: 'death',
              status: l.status,
              message: l.message,
              actor: 'system',
              district: l.district,
              street: l.street,
            }),
        },
        records,
      );
      await tx.query(`update fp_hv_batch set status = 'done', deaths = $2, deaths_recorded = $3, finished_at = now() where id = $1`, [
        b.id,
        d.deaths,
        d.deathsRecorded,
      ]);
      await writeLog(tx, {
        batchId: b.id,
        kind: 'pull',
        status: 'done',
        message: `${month}：死亡注销新收 ${d.deaths} 条，登记死亡 ${d.deathsRecorded}`,
        actor: 'system',
      });
    });
    ctx.progress('公安死亡注销户口', records.length, records.length);
  },
};
