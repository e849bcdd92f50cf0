// The data-quality checks against the demo world's planted defects (ground truth): generate a world with
// the hospital data and this module's stage, run the check job, and compare each built-in rule's
// anomalies with the truth rows of its planted kind.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import { generateWorld } from '../../../platform/world/runner.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { masterDataWorld } from '../../common/master-data/world.ts';
import { residentIndexWorld } from '../../common/resident-index/world.ts';
import { complianceWorld } from '../compliance/world.ts';
import { BUILTIN_DQ_RULES } from './builtin.ts';
import { dataQualityWorld, STAGE } from './world.ts';

const TABLE: Record<string, string> = { fee_line: 'hm_fee_line', procedure: 'hm_procedure', diagnosis: 'hm_diagnosis', encounter: 'hm_encounter' };

let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await generateWorld(t.kernel.db, t.kernel.keys, {
    seed: 11,
    residents: 3000,
    stages: [masterDataWorld, residentIndexWorld, complianceWorld, dataQualityWorld],
    force: true,
    digest: false,
  });
});
after(() => t.close());

test('every planted defect is found by its rule, and the rules flag nothing else', async (tc) => {
  const r = await t.call(admin, { method: 'POST', url: '/api/v1/data-quality/checks' });
  assert.equal(r.statusCode, 201, r.body);
  await runPendingJobs(t.kernel, { untilIdle: true });
  const report: string[] = [];
  for (const b of BUILTIN_DQ_RULES.filter((x) => x.planted)) {
    const truth = new Set(
      (
        await t.kernel.db.query<{ id: string }>('select object_id as id from world_truth where stage = $1 and kind = $2 and object_type = $3', [
          STAGE,
          b.planted,
          TABLE[b.source],
        ])
      ).map((x) => x.id),
    );
    const found = new Set(
      (
        await t.kernel.db.query<{ id: string }>('select a.object_key as id from dq_anomaly a join dq_rule r on r.id = a.rule_id where r.code = $1', [b.code])
      ).map((x) => x.id),
    );
    const hit = [...found].filter((k) => truth.has(k)).length;
    report.push(`${b.planted}: truth ${truth.size}, found ${found.size}, hit ${hit}`);
    assert.ok(truth.size >= 3, `${b.planted}: only ${truth.size} planted`);
    assert.equal(hit, truth.size, `${b.planted}: recall`);
    assert.equal(found.size, truth.size, `${b.planted}: precision`);
  }
  tc.diagnostic(report.join('; '));
});
