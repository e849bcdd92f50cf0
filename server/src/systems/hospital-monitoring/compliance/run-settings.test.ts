import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runParallelism, runWorkMem } from './run.ts';

test('rules run one at a time on PGlite, two (or WEIJIAN_COMPLIANCE_PARALLEL, at most 16) on PostgreSQL', () => {
  assert.equal(runParallelism('pglite', { WEIJIAN_COMPLIANCE_PARALLEL: '4' }), 1);
  assert.equal(runParallelism('postgres', {}), 2);
  assert.equal(runParallelism('postgres', { WEIJIAN_COMPLIANCE_PARALLEL: '4' }), 4);
  assert.equal(runParallelism('postgres', { WEIJIAN_COMPLIANCE_PARALLEL: '99' }), 16);
  assert.equal(runParallelism('postgres', { WEIJIAN_COMPLIANCE_PARALLEL: 'x' }), 2);
  assert.equal(runParallelism('postgres', { WEIJIAN_COMPLIANCE_PARALLEL: '0' }), 2);
});

test('work_mem per rule on PostgreSQL only; anything but a plain size falls back to 128MB (it is pasted into SET)', () => {
  assert.equal(runWorkMem('pglite', { WEIJIAN_COMPLIANCE_WORK_MEM: '1GB' }), null);
  assert.equal(runWorkMem('postgres', {}), '128MB');
  assert.equal(runWorkMem('postgres', { WEIJIAN_COMPLIANCE_WORK_MEM: '256MB' }), '256MB');
  assert.equal(runWorkMem('postgres', { WEIJIAN_COMPLIANCE_WORK_MEM: "1GB'; drop table x; --" }), '128MB');
});
