// Detection accuracy of the built-in rules against the demo world's planted violations (ground truth):
// generate a world with this module's stage, run every built-in rule through the job, and compare the
// findings of each rule with the truth rows of its planted kind. The tender asks ≥ 90%; we hold ≥ 95%.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import { generateWorld } from '../../../platform/world/runner.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { masterDataWorld } from '../../common/master-data/world.ts';
import { residentIndexWorld } from '../../common/resident-index/world.ts';
import { BUILTIN_RULES } from './builtin.ts';
import { complianceWorld, STAGE } from './world.ts';

const RESIDENTS = 6000;
const OBJECT_TYPE: Record<string, string> = { fee_line: 'hm_fee_line', procedure: 'hm_procedure', diagnosis: 'hm_diagnosis', encounter: 'hm_encounter' };

let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await generateWorld(t.kernel.db, t.kernel.keys, { seed: 7, residents: RESIDENTS, stages: [masterDataWorld, residentIndexWorld, complianceWorld], force: true, digest: false });
});
after(() => t.close());

test('the world: about 2.5 fee lines per resident-encounter, 24 months, every table scoped', async () => {
  const [c] = await t.kernel.db.query<{ enc: number; fees: number; first: string; last: string; bad: number }>(
    `select (select count(*)::int from hm_encounter) as enc, (select count(*)::int from hm_fee_line) as fees,
            (select min(admitted_on) from hm_encounter) as first, (select max(admitted_on) from hm_encounter) as last,
            (select count(*)::int from hm_fee_line f join hm_encounter e on e.id = f.encounter_id
              where f.institution_id <> e.institution_id or f.district_code <> e.district_code) as bad`,
  );
  assert.equal(c.enc, RESIDENTS);
  assert.ok(c.fees > RESIDENTS * 2 && c.fees < RESIDENTS * 3.5, `fee lines ${c.fees}`);
  assert.equal(c.bad, 0);
  assert.ok(c.first >= '2024-10-01' && c.last <= '2026-09-30', `${c.first} – ${c.last}`);
});

test('built-in rules against the planted ground truth: precision and recall ≥ 95% per kind', async () => {
  const r = await t.call(admin, { method: 'POST', url: '/api/v1/compliance/runs', payload: { mode: 'full' } });
  assert.equal(r.statusCode, 201, r.body);
  await runPendingJobs(t.kernel, { untilIdle: true });
  const report: string[] = [];
  for (const b of BUILTIN_RULES) {
    const truth = new Set(
      (await t.kernel.db.query<{ id: string }>('select object_id as id from world_truth where stage = $1 and kind = $2 and object_type = $3', [STAGE, b.plantedKind, OBJECT_TYPE[b.rule.source]])).map((x) => x.id),
    );
    const found = new Set(
      (await t.kernel.db.query<{ id: string }>('select f.object_key as id from cm_finding f join cm_rule r on r.id = f.rule_id where r.code = $1', [b.code])).map((x) => x.id),
    );
    const hit = [...found].filter((k) => truth.has(k)).length;
    const precision = found.size ? hit / found.size : 0;
    const recall = truth.size ? hit / truth.size : 0;
    report.push(`${b.plantedKind}: truth ${truth.size}, found ${found.size}, precision ${(precision * 100).toFixed(1)}%, recall ${(recall * 100).toFixed(1)}%`);
    assert.ok(truth.size >= 3, `${b.plantedKind}: only ${truth.size} planted`);
    assert.ok(precision >= 0.95, `${b.plantedKind} precision ${precision}`);
    assert.ok(recall >= 0.95, `${b.plantedKind} recall ${recall}`);
  }
  console.log(report.join('\n'));
});
