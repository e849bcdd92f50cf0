import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generateWorld } from '../../../platform/world/runner.ts';
import { type TestApp, testApp } from '../../../test/harness.ts';
import { masterDataWorld } from '../../common/master-data/world.ts';
import { residentIndexWorld } from '../../common/resident-index/world.ts';
import { WORLD_AS_OF } from '../childcare-subsidy/test-world.ts';
import { birthsWorld } from './world.ts';
import { birthVerificationWorld, RECENT_DAYS } from './world-tasks.ts';

// The module's full demo-world stage: births, then the last 90 days through the 市妇幼 channel, so the
// streets have tasks at first start.
let t: TestApp;
before(async () => {
  t = await testApp();
  await generateWorld(t.kernel.db, t.kernel.keys, {
    seed: 3,
    residents: 5_000,
    stages: [masterDataWorld, residentIndexWorld, birthVerificationWorld(birthsWorld)],
    asOf: WORLD_AS_OF,
    digest: false,
  });
});
after(() => t.close());

test('every 市妇幼 birth of the last 90 days has one pending task with its history, pre-check and 社区云 message', async () => {
  const want = (
    await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from fp_birth_record where source = 'mch' and birth_date >= $1::date - $2::int`, [
      WORLD_AS_OF,
      RECENT_DAYS,
    ])
  )[0]!;
  assert.ok(want.n >= 3, `only ${want.n} recent births`);
  const got = (
    await t.kernel.db.query<{ n: number; pending: number; checked: number; events: number; batches: number; cloud: number }>(
      `select count(*)::int as n, count(*) filter (where status = 'pending')::int as pending, count(*) filter (where precheck_at is not null)::int as checked,
            (select count(*)::int from fp_verify_task_event where action = 'created') as events,
            (select count(*)::int from fp_mch_batch where status = 'done') as batches,
            (select count(*)::int from outbox_message where system = 'community-cloud') as cloud
       from fp_verify_task`,
    )
  )[0]!;
  assert.deepEqual(
    { n: got.n, pending: got.pending, checked: got.checked, events: got.events, cloud: got.cloud },
    { n: want.n, pending: want.n, checked: want.n, events: want.n, cloud: want.n },
  );
  assert.ok(got.batches >= 1);
});

test('the world’s 市妇幼 death reports (planted newborn deaths) went through the channel into the resident index', async () => {
  const reports = await t.kernel.db.query<{ report_no: string; outcome: string; person_id: number | null; death_date: string; id_masked: string | null }>(
    'select report_no, outcome, person_id::int as person_id, death_date::text, id_masked from fp_mch_death order by id',
  );
  assert.ok(reports.length >= 1, 'at least one planted death report');
  assert.ok(
    reports.some((r) => r.id_masked === null),
    'one reported by 出生医学证明编号 only',
  );
  const recorded = reports.filter((r) => r.outcome === 'recorded');
  assert.ok(recorded.length >= 1, JSON.stringify(reports));
  for (const r of recorded) {
    const [p] = await t.kernel.db.query<{ status: string; death_date: string; death_source: string }>(
      'select status, death_date::text, death_source from person where id = $1',
      [r.person_id],
    );
    assert.deepEqual(p, { status: 'dead', death_date: r.death_date, death_source: 'mch' });
  }
  const b = (await t.kernel.db.query<{ n: number }>('select coalesce(sum(deaths), 0)::int as n from fp_mch_batch'))[0]!;
  assert.equal(b.n, reports.length);
});
