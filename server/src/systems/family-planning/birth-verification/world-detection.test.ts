import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type TestApp, testApp } from '../../../test/harness.ts';
import { WORLD_AS_OF, worldWithBirths } from '../childcare-subsidy/test-world.ts';
import { ingestRecords } from './intake.ts';
import type { CheckCode } from './precheck.ts';
import { systemTransaction, worldFeed } from './test-support.ts';
import { PLANTED_KINDS, REGISTERED_WITHIN_DAYS } from './world.ts';

// The demo world's planted inconsistencies, fed through the 市妇幼 channel as the daily interface would
// send them: the pre-check of the resulting tasks must find them (precision and recall ≥ 95 % each).
let t: TestApp;
let counts: Awaited<ReturnType<typeof ingestRecords>>;
before(async () => {
  t = await testApp();
  await worldWithBirths(t, 30_000, 11);
  const feed = await worldFeed(t);
  counts = await systemTransaction(t)(async (tx, audit) => {
    const { id } = (await tx.query<{ id: number }>(`insert into fp_mch_batch (source_date, requested_by) values ($1, 'test') returning id`, [WORLD_AS_OF]))[0]!;
    return ingestRecords({ tx, kernel: t.kernel, audit }, { id: Number(id), sourceDate: WORLD_AS_OF }, feed, { today: WORLD_AS_OF, actor: 'test' });
  });
});
after(() => t.close());

async function truth(kind: string): Promise<Set<number>> {
  const rows = await t.kernel.db.query<{ id: string }>(`select object_id as id from world_truth where stage = 'family-planning.births' and kind = $1`, [kind]);
  return new Set(rows.map((r) => Number(r.id)));
}

async function flagged(code: CheckCode): Promise<Set<number>> {
  const rows = await t.kernel.db.query<{ id: number }>(
    `select distinct child_person_id as id from fp_verify_task where child_person_id is not null and precheck @> $1::jsonb`,
    [JSON.stringify([{ code }])],
  );
  return new Set(rows.map((r) => Number(r.id)));
}

test("every world birth becomes one task in its mother's street; nothing is refused", async () => {
  const { n } = (await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from fp_birth_record where source = 'mch'`))[0]!;
  assert.equal(counts.fetched, n);
  assert.equal(counts.created, n, JSON.stringify(counts));
  assert.equal(counts.rejected, 0);
  const x = (
    await t.kernel.db.query<{ linked: number; street_ok: number; all: number }>(
      `select count(*) filter (where child_person_id is not null)::int as linked,
            count(*) filter (where street_code = (select residence_street from person p where p.id = mother_person_id))::int as street_ok,
            count(*)::int as "all" from fp_verify_task`,
    )
  )[0]!;
  assert.equal(x.linked, x.all);
  assert.equal(x.street_ok, x.all);
  // Every task went to 社区云 through the outbox.
  const o = (await t.kernel.db.query<{ n: number }>(`select count(*)::int as n from outbox_message where system = 'community-cloud'`))[0]!;
  assert.equal(o.n, n);
});

test('the pre-check finds the planted inconsistencies with precision and recall ≥ 95 %', async () => {
  const pairs: [string, CheckCode][] = [
    ['name_mismatch', 'name_mismatch'],
    ['missing_hukou', 'missing_hukou'],
    ['duplicate_birth_record', 'duplicate'],
    ['dead_child', 'child_dead'],
    ['wrong_birth_order_claim', 'birth_order_mismatch'],
  ];
  assert.deepEqual(new Set(pairs.map(([k]) => k)), new Set(PLANTED_KINDS.filter((k) => k !== 'child_no_hukou')));
  const report: Record<string, unknown> = {};
  for (const [kind, code] of pairs) {
    const want = await truth(kind);
    const got = await flagged(code);
    assert.ok(want.size >= 3, `${kind}: only ${want.size} planted`);
    const tp = [...got].filter((x) => want.has(x)).length;
    const precision = got.size ? tp / got.size : 0;
    const recall = tp / want.size;
    report[kind] = { planted: want.size, flagged: got.size, precision, recall };
    assert.ok(precision >= 0.95 && recall >= 0.95, `${kind}: ${JSON.stringify(report[kind])}`);
  }
});

test('missing 户籍 is planted only past the registration period and the person has no 户籍', async () => {
  const rows = await t.kernel.db.query<{ hukou: string | null; age: number; police: number }>(
    `select p.hukou_district as hukou, ($1::date - p.birth_date)::int as age,
            (select count(*)::int from fp_birth_record r where r.child_person_id = p.id and r.source = 'police') as police
       from world_truth w join person p on p.id = w.object_id::bigint where w.kind = 'missing_hukou'`,
    [WORLD_AS_OF],
  );
  assert.ok(rows.length >= 3);
  for (const r of rows) {
    assert.equal(r.hukou, null);
    assert.equal(r.police, 0);
    assert.ok(r.age >= REGISTERED_WITHIN_DAYS);
  }
  // Every registered (公安) record has its registration date, on or after the birth.
  const bad = (
    await t.kernel.db.query<{ n: number }>(
      `select count(*)::int as n from fp_birth_record where source = 'police' and (registered_on is null or registered_on < birth_date)`,
    )
  )[0]!;
  assert.equal(bad.n, 0);
});
