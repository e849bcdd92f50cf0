import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Database } from '../../../platform/db/types.ts';
import { generateWorld } from '../../../platform/world/runner.ts';
import { openWorldTestDb } from '../../../platform/world/testing.ts';
import { masterDataWorld } from '../../common/master-data/world.ts';
import { residentIndexWorld } from '../../common/resident-index/world.ts';
import { complianceWorld } from './world.ts';

// A world generated for a "today" years after 2026 (the demo's today is its start date).
const AS_OF = '2034-06-30';
let db: Database;
let drop: () => Promise<void>;

before(async () => {
  ({ db, drop } = await openWorldTestDb());
  await generateWorld(db, KeyRing.generate(), {
    seed: 5,
    residents: 300,
    asOf: AS_OF,
    stages: [masterDataWorld, residentIndexWorld, complianceWorld],
    digest: false,
  });
});
after(() => drop());

test('licences and approvals are valid around the world’s today, whatever day it is; only planted ones lapse, inside the data window', async () => {
  const r = (
    await db.query<{ quals: number; lapsed: number; early: number; auths: number; techs: number; devices: number; late: number }>(
      `select (select count(*) from hm_practitioner_qualification)::int as quals,
            (select count(*) from hm_practitioner_qualification where valid_to < $1::date)::int as lapsed,
            (select count(*) from hm_practitioner_qualification where valid_to < $1::date - 729)::int as early,
            (select count(*) from hm_practitioner_authorization where valid_to < $1::date or valid_from > $1::date - 729)::int as auths,
            (select count(*) from hm_institution_technology where valid_to < $1::date or approved_on > $1::date - 729)::int as techs,
            (select count(*) from hm_device where registration_valid_to < $1::date - 729)::int as devices,
            (select count(*) from hm_practitioner_qualification where valid_from > $1::date - 729)::int as late`,
      [AS_OF],
    )
  )[0]!;
  assert.ok(r.quals > 1000, `${r.quals} qualifications`);
  assert.ok(r.lapsed < r.quals * 0.05, `${r.lapsed} of ${r.quals} qualifications lapsed`);
  assert.deepEqual({ early: r.early, auths: r.auths, techs: r.techs, devices: r.devices, late: r.late }, { early: 0, auths: 0, techs: 0, devices: 0, late: 0 });
});
