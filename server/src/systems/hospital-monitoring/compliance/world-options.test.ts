import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feeLinesFromEnv, hospitalDataStage } from './world.ts';

test('WEIJIAN_WORLD_FEE_LINES sets the fee-line scale (10_000_000 style allowed); bad values are refused', () => {
  assert.equal(feeLinesFromEnv({}), undefined);
  assert.equal(feeLinesFromEnv({ WEIJIAN_WORLD_FEE_LINES: '10_000_000' }), 10_000_000);
  assert.throws(() => feeLinesFromEnv({ WEIJIAN_WORLD_FEE_LINES: '-5' }), /正整数/);
  assert.throws(() => feeLinesFromEnv({ WEIJIAN_WORLD_FEE_LINES: 'many' }), /正整数/);
});

test('the stage lists every table it fills, parents first', () => {
  const tables = (hospitalDataStage().tables ?? []).map((t) => t.table);
  assert.deepEqual(tables.slice(0, 4), ['hm_practitioner_qualification', 'hm_device', 'hm_institution_technology', 'hm_practitioner_authorization']);
  assert.ok(tables.indexOf('hm_encounter') < tables.indexOf('hm_fee_line'));
});
