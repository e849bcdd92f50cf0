import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { compileRule } from '../../../platform/rules/index.ts';
import { type TestApp, testApp } from '../../../test/harness.ts';
import { BUILTIN_RULES } from './builtin.ts';
import { complianceCatalog } from './catalog.ts';
import { seedHospitalData } from './test-fixture.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
  await seedHospitalData(t.kernel.db);
});
after(() => t.close());

const mismatches = async () =>
  (
    await t.kernel.db.query<{ n: number }>(
      `select count(*)::int as n from hm_fee_line f join hm_encounter e on e.id = f.encounter_id
        where f.person_id is distinct from e.person_id`,
    )
  )[0]!.n;

test('every write path fills the patient on fee lines from the encounter, and keeps it equal', async () => {
  const db = t.kernel.db;
  const { n } = (await db.query<{ n: number }>('select count(*)::int as n from hm_fee_line where person_id is not null'))[0]!;
  assert.ok(n > 0);
  assert.equal(await mismatches(), 0, 'insert fills it');
  await db.exec('update hm_encounter set person_id = 99 where id = 1');
  assert.deepEqual(
    (await db.query<{ p: number }>('select distinct person_id::int as p from hm_fee_line where encounter_id = 1')).map((r) => r.p),
    [99],
  );
  await db.exec('update hm_fee_line set encounter_id = 2, person_id = 12345 where id = 3');
  assert.equal(await mismatches(), 0, 'moving a line (or writing the column) takes the encounter’s patient');
  await db.exec('update hm_encounter set person_id = 1 where id = 1; update hm_fee_line set encounter_id = 1 where id = 3');
  assert.equal(await mismatches(), 0);
});

test('per-patient built-in rules group fee lines by the copied patient, without joining encounters', () => {
  const us = BUILTIN_RULES.find((b) => b.code === 'fee.ultrasound.daily')!;
  const c = compileRule(complianceCatalog, { id: 'x', version: 1, ...us.rule });
  assert.ok(!c.text.includes('"hm_encounter"'), c.text);
  assert.match(c.text, /ON a\d+\.k0 = t\."person_id"/);
});
