import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Database } from '../../../platform/db/types.ts';
import { generateWorld } from '../../../platform/world/runner.ts';
import { openWorldTestDb, WORLD_STAGES } from '../../../platform/world/testing.ts';
import { fdSupervisionWorld } from '../fd-supervision/world.ts';
import { familyDoctorWorld } from '../family-doctor/world.ts';
import { keyPopulationsWorld } from './world.ts';

const RESIDENTS = 3000;
let db: Database;
let drop: () => Promise<void>;
let asOf: string;

before(async () => {
  ({ db, drop } = await openWorldTestDb());
  const meta = await generateWorld(db, KeyRing.generate(), {
    seed: 11,
    residents: RESIDENTS,
    stages: [...WORLD_STAGES, familyDoctorWorld, keyPopulationsWorld, fdSupervisionWorld],
  });
  asOf = meta.asOf;
});
after(() => drop?.());

const one = async <T>(sql: string, params: unknown[] = []) => (await db.query<T & Record<string, unknown>>(sql, params))[0];

test('world: registrations with plausible prevalence, and tags that agree with the data they are computed from', async () => {
  const r = await one<{ old: number; old_htn: number; elderly: number; child: number; young: number }>(
    `select (select count(*)::int from person where status = 'alive' and birth_date <= ($1::date - interval '65 years')) as old,
            (select count(distinct k.person_id)::int from kp_condition k join person p on p.id = k.person_id
              where k.kind = 'hypertension' and p.status = 'alive' and p.birth_date <= ($1::date - interval '65 years')) as old_htn,
            (select count(*)::int from kp_tag where tag = 'elderly') as elderly,
            (select count(*)::int from kp_tag where tag = 'child') as child,
            (select count(*)::int from person where status = 'alive' and birth_date > ($1::date - interval '7 years')) as young`,
    [asOf],
  );
  assert.equal(r!.elderly, r!.old, 'every living resident of 65 and over is tagged, and only they');
  assert.equal(r!.child, r!.young);
  const htn = r!.old_htn / r!.old;
  assert.ok(htn > 0.2 && htn < 0.5, `hypertension among the old ${htn}`);
  // A tag of a registration kind is held exactly by the living residents with such a registration in force.
  const mismatch = await one<{ n: number }>(
    `select count(*)::int as n from (
       (select person_id from kp_tag where tag = 'diabetes')
       except
       (select k.person_id from kp_condition k join person p on p.id = k.person_id where k.kind = 'diabetes' and p.status = 'alive' and (k.ends_on is null or k.ends_on >= $1))
     ) x`,
    [asOf],
  );
  assert.equal(mismatch!.n, 0);
  const maternalMen = await one<{ n: number }>(
    `select count(*)::int as n from kp_tag t join person p on p.id = t.person_id where t.tag = 'maternal' and p.sex <> 'F'`,
  );
  assert.equal(maternalMen!.n, 0);
  // Scope columns follow the resident (the care assignment of the family-doctor stage came first).
  const stale = await one<{ n: number }>(
    `select count(*)::int as n from kp_tag t join person p on p.id = t.person_id where t.doctor_id is distinct from p.doctor_id`,
  );
  assert.equal(stale!.n, 0);
  const refresh = await one<{ trigger: string; added: number }>(`select trigger, added from kp_refresh order by id desc limit 1`);
  assert.equal(refresh!.trigger, 'world');
});

test('world: hospital visits of signed residents, mostly inside the combination, and 30 days of snapshots', async () => {
  const v = await one<{ n: number; inside: number }>(
    `select count(*)::int as n, count(*) filter (where h.institution_id in (c.district_hospital_id, c.city_hospital_id))::int as inside
       from fs_hospital_visit h join fd_contract c on c.person_id = h.person_id and c.status = 'active'`,
  );
  assert.ok(v!.n > 100, `hospital visits ${v!.n}`);
  assert.ok(v!.inside / v!.n > 0.5 && v!.inside / v!.n < 0.95, `inside the combination ${v!.inside / v!.n}`);
  const s = await one<{ days: number; last: string }>(`select count(distinct snap_date)::int as days, max(snap_date)::text as last from fs_daily_snapshot`);
  assert.equal(s!.days, 30);
  assert.ok(s!.last < asOf);
});
