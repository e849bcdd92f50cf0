import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scopeBatch, scopeStatements } from './scope-sql.ts';

test('scope settings are quoted literals in the batch and parameters in the statement', () => {
  const s = { 'weijian.level': 'district', 'weijian.district': "31'01; drop table person; --" };
  assert.equal(scopeBatch(s), "select set_config('weijian.district', '31''01; drop table person; --', true), set_config('weijian.level', 'district', true)");
  const st = scopeStatements(s);
  assert.deepEqual(st.params, ["31'01; drop table person; --", 'district']);
  assert.ok(!st.text.includes('drop'));
});

test('only weijian.* keys are accepted', () => {
  assert.throws(() => scopeBatch({ role: 'postgres' }));
  assert.throws(() => scopeStatements({ 'weijian.x; drop': 'a' }));
});
