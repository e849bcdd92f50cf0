import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Database } from '../../../platform/db/types.ts';
import { generateWorld } from '../../../platform/world/runner.ts';
import { openWorldTestDb, WORLD_STAGES } from '../../../platform/world/testing.ts';
import { familyDoctorWorld } from '../family-doctor/world.ts';
import { inpatientWorld } from './world.ts';

const STAGES = [...WORLD_STAGES, familyDoctorWorld, inpatientWorld];
let db: Database;
let drop: () => Promise<void>;
let asOf: string;

before(async () => {
  ({ db, drop } = await openWorldTestDb());
  asOf = (await generateWorld(db, KeyRing.generate(), { seed: 11, residents: 3000, stages: STAGES })).asOf;
});
after(() => drop?.());

test('world: admissions of contracted residents with their doctor, about half discharged, old ones handled', async () => {
  const r = (
    await db.query<{ adm: number; dis: number; contracts: number; no_doctor: number; open_old: number; future: number; mismatched: number }>(
      `select count(*) filter (where kind = 'admission')::int as adm,
            count(*) filter (where kind = 'discharge')::int as dis,
            (select count(*)::int from fd_contract where status = 'active' and cycle_end >= $1::date) as contracts,
            count(*) filter (where doctor_id is null or contract_id is null)::int as no_doctor,
            count(*) filter (where status = 'open' and event_at < $1::date - 8)::int as open_old,
            count(*) filter (where event_at > $1::date + 1)::int as future,
            count(*) filter (where doctor_id <> (select c.doctor_id from fd_contract c where c.id = contract_id))::int as mismatched
       from fds_inpatient_event where source = 'world'`,
      [asOf],
    )
  )[0]!;
  assert.ok(r.adm > r.contracts * 0.005 && r.adm < r.contracts * 0.05, `admissions ${r.adm} of ${r.contracts}`);
  assert.ok(r.dis > 0 && r.dis <= r.adm, `discharges ${r.dis}`);
  assert.deepEqual([r.no_doctor, r.open_old, r.future, r.mismatched], [0, 0, 0, 0]);
});
