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
import { BUILTIN_RULES, DOCTOR_DAILY_LIMIT } from './builtin.ts';
import { CATEGORY_CODES, CATEGORY_TITLE } from './catalog.ts';
import { complianceWorld, STAGE } from './world.ts';

const RESIDENTS = 6000;
const OBJECT_TYPE: Record<string, string> = { fee_line: 'hm_fee_line', procedure: 'hm_procedure', diagnosis: 'hm_diagnosis', encounter: 'hm_encounter' };

let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp();
  admin = await t.loginAs('city_admin');
  await generateWorld(t.kernel.db, t.kernel.keys, {
    seed: 7,
    residents: RESIDENTS,
    stages: [masterDataWorld, residentIndexWorld, complianceWorld],
    force: true,
    digest: false,
  });
});
after(() => t.close());

test('the world: about 2.5 fee lines per resident-encounter, 24 months, every table scoped', async () => {
  const c = (
    await t.kernel.db.query<{ enc: number; fees: number; first: string; last: string; bad: number }>(
      `select (select count(*)::int from hm_encounter) as enc, (select count(*)::int from hm_fee_line) as fees,
            (select min(admitted_on) from hm_encounter) as first, (select max(admitted_on) from hm_encounter) as last,
            (select count(*)::int from hm_fee_line f join hm_encounter e on e.id = f.encounter_id
              where f.institution_id <> e.institution_id or f.district_code <> e.district_code) as bad`,
    )
  )[0]!;
  // One encounter per resident plus at least three planted overloaded doctor-days.
  assert.ok(c.enc >= RESIDENTS + DOCTOR_DAILY_LIMIT && c.enc <= RESIDENTS + 3 * (DOCTOR_DAILY_LIMIT + 5), `encounters ${c.enc}`);
  assert.ok(c.fees > RESIDENTS * 2 && c.fees < RESIDENTS * 3.5, `fee lines ${c.fees}`);
  assert.equal(c.bad, 0);
  assert.ok(c.first >= '2024-10-01' && c.last <= '2026-09-30', `${c.first} – ${c.last}`);
});

test('built-in rules against the planted ground truth: precision and recall ≥ 95% per kind and per category (all 11)', async () => {
  const r = await t.call(admin, { method: 'POST', url: '/api/v1/compliance/runs', payload: { mode: 'full' } });
  assert.equal(r.statusCode, 201, r.body);
  await runPendingJobs(t.kernel, { untilIdle: true });
  const report: string[] = [];
  const perCategory = new Map<string, { truth: number; found: number; hit: number }>();
  for (const b of BUILTIN_RULES) {
    const truth = new Set(
      (
        await t.kernel.db.query<{ id: string }>('select object_id as id from world_truth where stage = $1 and kind = $2 and object_type = $3', [
          STAGE,
          b.plantedKind,
          OBJECT_TYPE[b.rule.source],
        ])
      ).map((x) => x.id),
    );
    const found = new Set(
      (
        await t.kernel.db.query<{ id: string }>('select f.object_key as id from cm_finding f join cm_rule r on r.id = f.rule_id where r.code = $1', [b.code])
      ).map((x) => x.id),
    );
    const hit = [...found].filter((k) => truth.has(k)).length;
    const c = perCategory.get(b.category) ?? { truth: 0, found: 0, hit: 0 };
    perCategory.set(b.category, { truth: c.truth + truth.size, found: c.found + found.size, hit: c.hit + hit });
    const precision = found.size ? hit / found.size : 0;
    const recall = truth.size ? hit / truth.size : 0;
    report.push(`${b.plantedKind}: truth ${truth.size}, found ${found.size}, precision ${(precision * 100).toFixed(1)}%, recall ${(recall * 100).toFixed(1)}%`);
    assert.ok(truth.size >= 3, `${b.plantedKind}: only ${truth.size} planted`);
    assert.ok(precision >= 0.95, `${b.plantedKind} precision ${precision}`);
    assert.ok(recall >= 0.95, `${b.plantedKind} recall ${recall}`);
  }
  assert.deepEqual([...perCategory.keys()].sort(), [...CATEGORY_CODES].sort(), 'every category has planted truth and a rule');
  for (const [category, c] of perCategory) {
    report.push(
      `${CATEGORY_TITLE[category as keyof typeof CATEGORY_TITLE]}: precision ${((c.hit / c.found) * 100).toFixed(1)}%, recall ${((c.hit / c.truth) * 100).toFixed(1)}%`,
    );
    assert.ok(c.hit / c.found >= 0.95 && c.hit / c.truth >= 0.95, category);
  }
  console.log(report.join('\n'));
});
