import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generateWorld } from '../../../platform/world/runner.ts';
import { type TestApp, testApp } from '../../../test/harness.ts';
import { masterDataWorld } from '../../common/master-data/world.ts';
import { residentIndexWorld } from '../../common/resident-index/world.ts';
import { WORLD_AS_OF } from '../childcare-subsidy/test-world.ts';
import { householdDeathsWorld } from './world.ts';

// The demo world's 公安死亡注销户口: last month's deregistrations went through the pull's ingestion into the
// resident index (source 公安), with their process log; a reset erases them with the world.
let t: TestApp;
before(async () => {
  t = await testApp();
  await generateWorld(t.kernel.db, t.kernel.keys, {
    seed: 5,
    residents: 5_000,
    stages: [masterDataWorld, residentIndexWorld, householdDeathsWorld],
    asOf: WORLD_AS_OF,
    digest: false,
  });
});
after(() => t.close());

test('planted 公安 death deregistrations mark very old residents deceased (source 公安), logged and counted', async () => {
  const rows = await t.kernel.db.query<{ dereg_no: string; outcome: string; person_id: number; death_date: string }>(
    'select dereg_no, outcome, person_id::int as person_id, death_date::text from fp_hv_death order by id',
  );
  assert.ok(rows.length >= 3, `${rows.length} deregistrations`);
  assert.ok(
    rows.every((r) => r.outcome === 'recorded'),
    JSON.stringify(rows),
  );
  for (const r of rows) {
    const p = (
      await t.kernel.db.query<{ status: string; death_date: string; death_source: string; age: number }>(
        `select status, death_date::text, death_source, extract(year from age($2::date, birth_date))::int as age from person where id = $1`,
        [r.person_id, WORLD_AS_OF],
      )
    )[0]!;
    assert.deepEqual([p.status, p.death_date, p.death_source], ['dead', r.death_date, 'police']);
    assert.ok(p.age >= 85);
    assert.ok(r.death_date < WORLD_AS_OF);
  }
  const [b] = await t.kernel.db.query<{ deaths: number; deaths_recorded: number; requested_by: string }>(
    'select deaths, deaths_recorded, requested_by from fp_hv_batch',
  );
  assert.deepEqual(b, { deaths: rows.length, deaths_recorded: rows.length, requested_by: 'world' });
  const l = (await t.kernel.db.query<{ n: number }>("select count(*)::int as n from fp_hv_log where kind = 'death' and status = 'recorded'"))[0]!;
  assert.equal(l.n, rows.length);
});
