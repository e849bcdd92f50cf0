import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { WORLD_AS_OF, worldWithBirths } from './test-world.ts';

/** A death reaching the resident index (here from 公安) is respected by the subsidy screening at its next run. */
let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp();
  await worldWithBirths(t, 3_000);
  admin = await t.loginAs('city_admin');
});
after(() => t.close());

const api = (method: 'GET' | 'POST', url: string, payload?: object) => t.call(admin, { method, url: `/api/v1${url}`, payload });

async function screenNow(mode: 'full' | 'incremental'): Promise<number> {
  const r = await api('POST', '/childcare-subsidy/screenings', { mode, asOf: WORLD_AS_OF });
  assert.equal(r.statusCode, 201, r.body);
  await runPendingJobs(t.kernel, { untilIdle: true });
  const run = (await api('GET', '/childcare-subsidy/screenings')).json().items.find((x: { id: number }) => x.id === r.json().runId);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  return run.id;
}

test('an eligible child recorded as deceased through the resident index is excluded (已死亡) at the next screening', async () => {
  const first = await screenNow('full');
  const [child] = await t.kernel.db.query<{ id: number }>(
    'select child_person_id::int as id from cs_candidate where run_id = $1 and eligible order by child_person_id limit 1',
    [first],
  );
  assert.ok(child, 'an eligible child');
  const d = await api('POST', `/residents/${child.id}/death`, { deathDate: WORLD_AS_OF, source: 'police', reference: 'GA-2026-1' });
  assert.equal(d.statusCode, 200, d.body);
  const next = await screenNow('incremental');
  const row = (
    await t.kernel.db.query<{ eligible: boolean; reasons: string[] }>('select eligible, reasons from cs_candidate where run_id = $1 and child_person_id = $2', [
      next,
      child.id,
    ])
  )[0]!;
  assert.equal(row.eligible, false);
  assert.ok(row.reasons.includes('dead'), JSON.stringify(row.reasons));
});
