import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runPendingJobs } from '../../../platform/jobs/scheduler.ts';
import { type TestApp, type TestSession, testApp } from '../../../test/harness.ts';
import { expectedChildren } from '../birth-verification/world.ts';
import { WORLD_AS_OF, worldWithBirths } from './test-world.ts';

const RESIDENTS = 20_000;
let t: TestApp;
let admin: TestSession;
before(async () => {
  t = await testApp();
  await worldWithBirths(t, RESIDENTS);
  admin = await t.loginAs('city_admin');
});
after(() => t.close());

const api = (s: TestSession, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => t.call(s, { method, url: `/api/v1${url}`, payload });

async function screenNow(body: object) {
  const r = await api(admin, 'POST', '/childcare-subsidy/screenings', body);
  assert.equal(r.statusCode, 201, r.body);
  await runPendingJobs(t.kernel, { untilIdle: true });
  const run = (await api(admin, 'GET', '/childcare-subsidy/screenings')).json().items.find((x: { id: number }) => x.id === r.json().runId);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  return run;
}

async function truthIds(kind: string): Promise<Set<number>> {
  return new Set((await t.kernel.db.query<{ id: string }>('select object_id as id from world_truth where kind = $1', [kind])).map((r) => Number(r.id)));
}

function pr(found: Set<number>, truth: Set<number>) {
  const tp = [...found].filter((x) => truth.has(x)).length;
  return { precision: found.size ? tp / found.size : 1, recall: truth.size ? tp / truth.size : 1, found: found.size, truth: truth.size };
}

let firstRun: { id: number; counts: { total: number; eligible: number } };

test('the world has births in proportion to its size, with every planted kind', async () => {
  const { n } = (await t.kernel.db.query<{ n: number }>('select count(distinct child_person_id)::int as n from fp_birth_record'))[0]!;
  assert.equal(n, expectedChildren(RESIDENTS));
  for (const kind of ['child_no_hukou', 'dead_child', 'duplicate_birth_record', 'wrong_birth_order_claim', 'name_mismatch'])
    assert.ok((await truthIds(kind)).size >= 3, kind);
  const m = (await t.kernel.db.query<{ n: number; d: number }>('select count(*)::int as n, count(dissolved_on)::int as d from fp_marriage'))[0]!;
  assert.ok(m.n > 0);
});

test('a full screening catches the planted exclusions with precision and recall ≥ 95%', async () => {
  firstRun = await screenNow({ mode: 'full', asOf: WORLD_AS_OF });
  assert.equal(firstRun.counts.total, expectedChildren(RESIDENTS));
  assert.ok(firstRun.counts.eligible > 0);
  const rows = await t.kernel.db.query<{ id: number; reasons: string[]; problems: string[] }>(
    'select child_person_id::int as id, reasons, problems from cs_candidate where run_id = $1',
    [firstRun.id],
  );
  const withReason = (r: string) => new Set(rows.filter((x) => x.reasons.includes(r)).map((x) => x.id));
  const withProblem = (p: string) => new Set(rows.filter((x) => x.problems.includes(p)).map((x) => x.id));
  const [orders] = [await t.kernel.db.query<{ id: number }>('select person_id::int as id from cs_child where birth_order_review')];
  const measured = {
    child_no_hukou: pr(withReason('not_shanghai_hukou'), await truthIds('child_no_hukou')),
    dead_child: pr(withReason('dead'), await truthIds('dead_child')),
    duplicate_birth_record: pr(withProblem('duplicate_certificate'), await truthIds('duplicate_birth_record')),
    name_mismatch: pr(withProblem('name_mismatch'), await truthIds('name_mismatch')),
    // Every review of a birth order comes from a planted conflict (a wrong claim, a duplicate or a name mismatch).
    wrong_birth_order_claim: pr(
      new Set(orders.map((o) => o.id).filter((id) => !withProblem('duplicate_certificate').has(id) && !withProblem('name_mismatch').has(id))),
      await truthIds('wrong_birth_order_claim'),
    ),
  };
  console.log('precision/recall', JSON.stringify(measured));
  for (const [kind, m] of Object.entries(measured)) {
    assert.ok(m.precision >= 0.95 && m.recall >= 0.95, `${kind}: ${JSON.stringify(m)}`);
  }
  // Excluded reasons are counted; unverified children are excluded for that reason.
  assert.ok(withReason('parents_unverified').size >= measured.name_mismatch.truth);
});

test('pre-fill: every eligible child has a draft; a birth order under review or a missing phone is marked with its reason', async () => {
  const rows = await t.kernel.db.query<{
    complete: boolean;
    missing: { field: string; reason: string }[];
    review: boolean;
    phone: boolean;
    draft: { fields: Record<string, unknown> };
  }>(
    `select k.prefill_complete as complete, k.prefill_missing as missing, c.birth_order_review as review, c.applicant_phone as phone, k.draft
       from cs_candidate k join cs_child c on c.person_id = k.child_person_id where k.run_id = $1 and k.eligible`,
    [firstRun.id],
  );
  assert.ok(rows.length > 0);
  for (const r of rows) {
    assert.ok(r.draft.fields.child_name, 'draft has the child');
    assert.equal(r.draft.fields.bank_account, null, 'bank account is a placeholder');
    assert.equal(r.complete, r.missing.length === 0);
    assert.equal(
      r.missing.some((m) => m.field === 'birth_order'),
      r.review,
    );
    assert.equal(
      r.missing.some((m) => m.field === 'applicant_phone'),
      !r.phone && r.draft.fields.applicant_name !== null,
    );
    for (const m of r.missing) assert.match(m.reason, /[\u4e00-\u9fa5]/);
  }
  const latest = (await api(admin, 'GET', '/childcare-subsidy/screenings/latest')).json();
  assert.equal(latest.run.counts.prefillComplete + latest.run.counts.prefillIncomplete, latest.run.counts.eligible);
});

test('screening is versioned and incremental: unchanged children are carried over, a change is re-judged', async () => {
  const again = await screenNow({ mode: 'incremental', asOf: WORLD_AS_OF });
  assert.equal(again.mode, 'incremental');
  assert.equal(again.baseRunId, firstRun.id);
  assert.equal(again.judged, 0);
  assert.equal(again.carried, firstRun.counts.total);
  assert.deepEqual(again.counts, firstRun.counts);

  // A subsidy granted on the old path: only that child is judged again, and drops out.
  const child = (
    await t.kernel.db.query<{ id: number; d: string }>(
      'select child_person_id::int as id, district_code as d from cs_candidate where run_id = $1 and eligible order by child_person_id limit 1',
      [again.id],
    )
  )[0]!;
  await t.kernel.db.query(`insert into cs_grant (child_person_id, granted_on, district_code) values ($1, '2026-01-01', $2)`, [child.id, child.d]);
  const third = await screenNow({ mode: 'incremental', asOf: WORLD_AS_OF });
  assert.equal(third.judged, 1);
  assert.equal(third.counts.eligible, firstRun.counts.eligible - 1);
  const row = (
    await t.kernel.db.query<{ reasons: string[] }>('select reasons from cs_candidate where run_id = $1 and child_person_id = $2', [third.id, child.id])
  )[0]!;
  assert.deepEqual(row.reasons, ['already_granted']);
  // Earlier versions are kept as they were.
  const old = (
    await t.kernel.db.query<{ eligible: boolean }>('select eligible from cs_candidate where run_id = $1 and child_person_id = $2', [firstRun.id, child.id])
  )[0]!;
  assert.equal(old.eligible, true);

  // A later screening date: children who reached the age limit are judged again.
  const later = await screenNow({ mode: 'incremental', asOf: '2027-03-31' });
  assert.equal(later.mode, 'incremental');
  const aged = (
    await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from cs_child where birth_date > '2023-09-30' and birth_date <= '2024-03-31'`)
  )[0]!;
  assert.equal(later.judged, aged.n);
  const wrong = (
    await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from cs_candidate where run_id = $1 and eligible and birth_date <= '2024-03-31'`, [
      later.id,
    ])
  )[0]!;
  assert.equal(wrong.n, 0);
});

test('policy parameters: admins edit them (audited), a change makes the next run full', async () => {
  const r = await api(admin, 'PUT', '/childcare-subsidy/policy', { startDate: '2024-01-01', maxAgeYears: 3 });
  assert.equal(r.statusCode, 200, r.body);
  assert.match(r.json().ruleText, /2024-01-01/);
  const a = (await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from audit_event where action = 'childcare-subsidy.policy.update'`))[0]!;
  assert.equal(a.n, 1);
  const district = await t.loginAs('city_admin', { level: 'district', districtCode: '310104' });
  assert.equal((await api(district, 'PUT', '/childcare-subsidy/policy', { startDate: '2024-01-01', maxAgeYears: 3 })).statusCode, 403);
  const run = await screenNow({ mode: 'incremental', asOf: WORLD_AS_OF });
  assert.equal(run.mode, 'full');
  assert.ok(run.counts.eligible > firstRun.counts.eligible);
});

test('scope: a district official sees only its district’s candidates and counts', async () => {
  const latest = (await api(admin, 'GET', '/childcare-subsidy/screenings/latest')).json().run;
  const d = (
    await t.kernel.db.query<{ d: string; n: number }>(
      'select district_code as d, count(*)::int as n from cs_candidate where run_id = $1 group by 1 order by 2 desc limit 1',
      [latest.id],
    )
  )[0]!;
  const official = await t.loginAs('district_admin', { level: 'district', districtCode: d.d });
  const mine = (await api(official, 'GET', '/childcare-subsidy/screenings/latest')).json().run;
  assert.equal(mine.counts.total, d.n);
  const list = await api(official, 'GET', `/childcare-subsidy/screenings/${latest.id}/candidates?pageSize=100`);
  assert.equal(list.statusCode, 200, list.body);
  assert.equal(list.json().total, d.n);
  assert.ok(list.json().items.every((c: { districtCode: string; nameMasked: string }) => c.districtCode === d.d && c.nameMasked.includes('*')));
  const other = await api(official, 'GET', `/childcare-subsidy/screenings/${latest.id}/candidates?district=310101`);
  assert.equal(other.json().total, d.d === '310101' ? d.n : 0);
});
