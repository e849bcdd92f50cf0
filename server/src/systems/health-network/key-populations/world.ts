import type { WorldContext, WorldStage } from '../../../platform/world/types.ts';
import { insertRefresh } from './repository.ts';
import type { ConditionKind } from './rules.ts';
import { refreshTags } from './service.ts';
import { addDays, ageOn } from '../../../platform/util/dates.ts';

/**
 * Demo-world stage of key populations: registrations drawn with age- and sex-dependent prevalence
 * (hypertension rising to about 40% past 70, diabetes about half of that, COPD and colorectal cancer
 * in the old, tuberculosis rare and mostly closed, disability ~3.5%, pregnancies and recent deliveries
 * among women 20–42, 计划生育特殊家庭 among parents past 50), then every tag computed once as of the
 * world's date. Runs after family-doctor (the change-rights tag reads contracts).
 */
export const keyPopulationsWorld: WorldStage = {
  name: 'key-populations',
  order: 35,
  title: '重点人群标识',
  tables: [
    {
      table: 'kp_condition',
      orderBy: 'id',
      columns: ['id', 'person_id', 'kind', 'registered_on', 'ends_on', 'source', 'district_code', 'street_code', 'institution_id', 'team_id', 'doctor_id'],
    },
    {
      table: 'kp_tag',
      orderBy: 'person_id, tag',
      columns: ['person_id', 'tag', 'since', 'district_code', 'street_code', 'institution_id', 'team_id', 'doctor_id'],
    },
    { table: 'kp_refresh', orderBy: 'id', columns: ['on_date', 'trigger', 'added', 'removed'] },
  ],
  run: generate,
};

const BATCH = 50_000;
const COLUMNS = [
  'id',
  'person_id',
  'kind',
  'registered_on',
  'ends_on',
  'source',
  'district_code',
  'street_code',
  'institution_id',
  'team_id',
  'doctor_id',
] as const;

interface PersonIn {
  id: number;
  sex: string;
  birth_date: string;
  status: string;
  residence_district: string;
  residence_street: string | null;
  managing_institution_id: number | null;
  team_id: number | null;
  doctor_id: number | null;
}

async function generate(ctx: WorldContext): Promise<void> {
  const { db, asOf } = ctx;
  const rng = ctx.rng('key-populations');
  const { n: total } = (await db.query<{ n: number }>('select count(*)::int as n from person'))[0]!;
  let id = (await db.query<{ n: number }>('select (coalesce(max(id), 0) + 1)::int as n from kp_condition'))[0]!.n;
  let lastId = 0;
  let done = 0;
  for (;;) {
    const people = await db.query<PersonIn>(
      `select id, sex, birth_date, status, residence_district, residence_street, managing_institution_id, team_id, doctor_id
         from person where id > $1 order by id limit ${BATCH}`,
      [lastId],
    );
    if (people.length === 0) break;
    lastId = people[people.length - 1]!.id;
    const rows: unknown[][] = [];
    for (const p of people) {
      if (p.status !== 'alive') continue;
      const age = ageOn(p.birth_date, asOf);
      const add = (kind: ConditionKind, registeredOn: string, endsOn: string | null) =>
        rows.push([
          id++,
          p.id,
          kind,
          registeredOn,
          endsOn,
          'world',
          p.residence_district,
          p.residence_street,
          p.managing_institution_id,
          p.team_id,
          p.doctor_id,
        ]);
      const past = (maxDays: number) => addDays(asOf, -rng.int(1, maxDays));
      if (age >= 35 && rng.chance(Math.min(0.42, 0.04 + (age - 35) * 0.0095))) add('hypertension', past(3650), null);
      if (age >= 35 && rng.chance(Math.min(0.2, 0.02 + (age - 35) * 0.005))) add('diabetes', past(3650), null);
      if (age >= 40 && rng.chance(Math.min(0.1, (age - 40) * 0.002))) add('copd', past(2500), null);
      if (age >= 50 && rng.chance(0.005)) add('colorectal_cancer', past(1800), null);
      if (rng.chance(0.002)) {
        const on = past(900);
        add('tuberculosis', on, rng.chance(0.6) ? addDays(on, 180) : null);
      }
      if (rng.chance(0.035)) add('disability', past(7000), null);
      if (age >= 50 && rng.chance(0.006)) add('fp_special_family', past(3000), null);
      if (p.sex === 'F' && age >= 20 && age <= 42) {
        if (rng.chance(0.03)) {
          const on = past(250);
          add('pregnancy', on, addDays(on, 280));
        } else if (rng.chance(0.012)) {
          const delivered = past(120);
          add('postpartum', delivered, addDays(delivered, 42));
        }
      }
    }
    await db.copyRows('kp_condition', COLUMNS, rows);
    done += people.length;
    ctx.progress('重点人群登记', done, total);
  }
  await db.query(`select setval(pg_get_serial_sequence('kp_condition', 'id'), greatest((select max(id) from kp_condition), 1))`);
  // The first computation of every tag; 健康云 gets the changes of later refreshes, not the initial state.
  const r = await refreshTags(db, { today: asOf, sync: false });
  await insertRefresh(db, { on_date: asOf, trigger: 'world', added: r.added, removed: r.removed, detail: r.byTag });
  ctx.progress('重点人群标签', 1, 1);
}
