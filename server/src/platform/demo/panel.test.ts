import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { familyDoctorWorld } from '../../systems/health-network/family-doctor/world.ts';
import { KEY_POPULATIONS } from '../../systems/health-network/key-populations/rules.ts';
import { keyPopulationsWorld } from '../../systems/health-network/key-populations/world.ts';
import { KeyRing } from '../crypto/keyring.ts';
import type { Database } from '../db/types.ts';
import { generateWorld } from '../world/runner.ts';
import { openWorldTestDb, WORLD_STAGES } from '../world/testing.ts';
import { type DemoTeam, demoTeam } from './panel.ts';
import { demoAccounts } from './users.ts';

const AS_OF = '2026-12-07';
let db: Database;
let drop: () => Promise<void>;
let team: DemoTeam;

before(async () => {
  ({ db, drop } = await openWorldTestDb());
  await generateWorld(db, KeyRing.generate(), {
    seed: 20261126,
    residents: 6000,
    asOf: AS_OF,
    stages: [...WORLD_STAGES, familyDoctorWorld, keyPopulationsWorld],
    digest: false,
  });
  team = (await demoTeam(db)) as DemoTeam;
});
after(() => drop());

test('the family_doctor account is the demo team’s doctor', async () => {
  const fd = (await demoAccounts(db)).find((a) => a.username === 'family_doctor');
  assert.equal(fd?.scope.practitionerId, team.doctor_id);
  assert.equal(fd?.scope.institutionId, team.chc_id);
});

test('the demo family doctor has a realistic panel: hundreds of residents, green, yellow and red, the old, key populations', async () => {
  const p = (
    await db.query<{ panel: number; green: number; yellow: number; red: number; old: number; key: number; tags: number }>(
      `with c as (
       select c.person_id, c.cycle_end, pe.birth_date from fd_contract c join person pe on pe.id = c.person_id
        where c.doctor_id = $1 and c.status = 'active')
     select count(*)::int as panel,
            count(*) filter (where cycle_end > $2::date + 60)::int as green,
            count(*) filter (where cycle_end between $2::date - 90 and $2::date + 60)::int as yellow,
            count(*) filter (where cycle_end < $2::date - 90)::int as red,
            count(*) filter (where birth_date <= $2::date - interval '65 years')::int as old,
            (select count(distinct t.person_id) from kp_tag t join c on c.person_id = t.person_id where t.tag = any($3))::int as key,
            (select count(distinct t.tag) from kp_tag t join c on c.person_id = t.person_id where t.tag = any($3))::int as tags
       from c`,
      [team.doctor_id, AS_OF, KEY_POPULATIONS],
    )
  )[0]!;
  assert.ok(p.panel >= 200 && p.panel <= 1000, `panel of ${p.panel}`);
  assert.ok(p.green > p.yellow && p.yellow >= 10 && p.red >= 5, JSON.stringify(p));
  assert.ok(p.old >= 30, `${p.old} residents aged 65+`);
  assert.ok(p.key >= 30 && p.tags >= 3, `${p.key} residents in ${p.tags} key populations`);
});

test('the panel lives where the team works: the residents’ centre is the demo doctor’s', async () => {
  const r = (
    await db.query<{ n: number; elsewhere: number }>(
      `select count(*)::int as n, count(*) filter (where pe.managing_institution_id <> $2 or c.team_id <> $3)::int as elsewhere
       from fd_contract c join person pe on pe.id = c.person_id where c.doctor_id = $1 and c.status = 'active'`,
      [team.doctor_id, team.chc_id, team.team_id],
    )
  )[0]!;
  assert.ok(r.n > 0);
  assert.equal(r.elsewhere, 0);
});
