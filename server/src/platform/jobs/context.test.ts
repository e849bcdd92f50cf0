import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../test/harness.ts';
import { APP_ROLE } from '../db/scope-sql.ts';
import { systemJobContext } from './context.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());

const who = 'select current_user::text as role, current_setting($1, true) as level';

test('a job transaction runs under row-level security with city scope; a system transaction without it', async () => {
  const ctx = systemJobContext(t.kernel, { id: 0, attempt: 1 });
  const scoped = await ctx.transaction(async (tx) => (await tx.query<{ role: string; level: string }>(who, ['weijian.level']))[0]);
  assert.deepEqual(scoped, { role: APP_ROLE, level: 'city' });
  const system = await ctx.systemTransaction(async (tx) => (await tx.query<{ role: string; level: string | null }>(who, ['weijian.level']))[0]);
  assert.notEqual(system!.role, APP_ROLE);
  assert.ok(!system!.level, 'no scope settings');
});

test('both append the audit events their work wrote, as the system principal', async () => {
  const ctx = systemJobContext(t.kernel, { id: 7, attempt: 1 });
  for (const [i, run] of [ctx.transaction, ctx.systemTransaction].entries()) {
    await run(async (_tx, audit) => {
      audit.write({ action: `jobs.context-test.${i}`, objectType: 'test', objectId: String(i) });
    });
  }
  const rows = await t.kernel.db.query<{ action: string; request_id: string }>(
    `select action, request_id from audit_event where action like 'jobs.context-test.%' order by action`,
  );
  assert.deepEqual(
    rows.map((r) => [r.action, r.request_id]),
    [
      ['jobs.context-test.0', 'job-run:7'],
      ['jobs.context-test.1', 'job-run:7'],
    ],
  );
});
