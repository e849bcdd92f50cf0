import type { WorldContext, WorldStage } from '../../../platform/world/types.ts';
import { generateSnapshot } from './snapshot.ts';

/**
 * Demo-world stage of supervision: hospital visits of signed residents over the last two years (most
 * at the district or city hospital of their combination, some elsewhere), so the in-combination visit
 * rate has data; then the daily monitoring snapshots of the last 30 days, so the history screen is not
 * empty on first start (past days are rebuilt from today's contract rows — the daily job keeps exact
 * figures from then on).
 */
export const fdSupervisionWorld: WorldStage = {
  name: 'fd-supervision',
  order: 36,
  title: '签约服务监管',
  tables: [
    {
      table: 'fs_hospital_visit',
      orderBy: 'id',
      columns: ['id', 'person_id', 'institution_id', 'visit_date', 'kind', 'district_code', 'street_code', 'chc_id', 'team_id', 'doctor_id'],
    },
    {
      table: 'fs_daily_snapshot',
      orderBy: 'snap_date, district_code, street_code, institution_id, team_id, doctor_id',
      columns: [
        'snap_date',
        'district_code',
        'street_code',
        'institution_id',
        'team_id',
        'doctor_id',
        'green',
        'yellow',
        'red',
        'signed_new',
        'terminated',
        'transferred',
        'renewed_green',
        'renewed_yellow',
      ],
    },
  ],
  run: generate,
};

const BATCH = 50_000;
const COLUMNS = ['id', 'person_id', 'institution_id', 'visit_date', 'kind', 'district_code', 'street_code', 'chc_id', 'team_id', 'doctor_id'] as const;
const DAY = 86_400_000;
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

interface ContractIn {
  id: number;
  person_id: number;
  institution_id: number;
  team_id: number | null;
  doctor_id: number;
  district_hospital_id: number | null;
  city_hospital_id: number | null;
  district_code: string;
  street_code: string | null;
}

async function generate(ctx: WorldContext): Promise<void> {
  const { db, asOf } = ctx;
  const rng = ctx.rng('fd-supervision');
  const hospitals = (
    await db.query<{ id: number }>(`select id from institution where kind in ('district_hospital', 'city_hospital') and active order by id`)
  ).map((h) => h.id);
  const { n: total } = (await db.query<{ n: number }>(`select count(*)::int as n from fd_contract_v where status = 'active'`))[0]!;
  let id = (await db.query<{ n: number }>('select (coalesce(max(id), 0) + 1)::int as n from fs_hospital_visit'))[0]!.n;
  let lastId = 0;
  let done = 0;
  for (;;) {
    const contracts = await db.query<ContractIn>(
      `select id, person_id, institution_id, team_id, doctor_id, district_hospital_id, city_hospital_id, district_code, street_code
         from fd_contract_v where status = 'active' and id > $1 order by id limit ${BATCH}`,
      [lastId],
    );
    if (contracts.length === 0) break;
    lastId = contracts[contracts.length - 1]!.id;
    const rows: unknown[][] = [];
    for (const c of contracts) {
      const n = Math.min(8, Math.floor(-Math.log(1 - rng.next()) * 0.9));
      for (let k = 0; k < n; k++) {
        const roll = rng.next();
        const inst =
          roll < 0.45 && c.district_hospital_id
            ? c.district_hospital_id
            : roll < 0.7 && c.city_hospital_id
              ? c.city_hospital_id
              : hospitals.length
                ? rng.pick(hospitals)
                : null;
        if (inst === null) continue;
        rows.push([
          id++,
          c.person_id,
          inst,
          addDays(asOf, -rng.int(0, 730)),
          rng.chance(0.08) ? 'inpatient' : 'outpatient',
          c.district_code,
          c.street_code,
          c.institution_id,
          c.team_id,
          c.doctor_id,
        ]);
      }
    }
    await db.copyRows('fs_hospital_visit', COLUMNS, rows);
    done += contracts.length;
    ctx.progress('医院就诊记录', done, total);
  }
  await db.query(`select setval(pg_get_serial_sequence('fs_hospital_visit', 'id'), greatest((select max(id) from fs_hospital_visit), 1))`);
  for (let k = 30; k >= 1; k--) {
    await generateSnapshot(db, addDays(asOf, -k));
    ctx.progress('每日监测快照', 31 - k, 30);
  }
}
