import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Database } from '../../../platform/db/types.ts';
import { generateWorld } from '../../../platform/world/runner.ts';
import { openWorldTestDb, WORLD_STAGES } from '../../../platform/world/testing.ts';
import { feeReviewWorld } from './world.ts';

let db: Database;
let drop: () => Promise<void>;
let digest: string;

before(async () => {
  ({ db, drop } = await openWorldTestDb());
  const meta = await generateWorld(db, KeyRing.generate(), { seed: 7, residents: 300, stages: [...WORLD_STAGES, feeReviewWorld] });
  assert.ok(meta.digest);
  digest = meta.digest;
});
after(() => drop());

test('the world holds real case PDFs, split into the configured chapters, in every state', async () => {
  const cases = await db.query<{
    id: number;
    status: string;
    conclusion: string | null;
    sections: { code: string }[];
    pdf: Uint8Array;
    reviewer: string | null;
  }>('select id::int as id, status, conclusion, sections, pdf, reviewer from fr_case order by id');
  assert.equal(cases.length, 12);
  for (const c of cases) {
    assert.equal(Buffer.from(c.pdf).subarray(0, 5).toString(), '%PDF-');
    const codes = c.sections.map((s) => s.code);
    for (const code of ['front_page', 'admission', 'progress', 'orders', 'fee_list', 'discharge']) assert.ok(codes.includes(code), `${c.id}: ${codes}`);
  }
  const statuses = new Set(cases.map((c) => c.status));
  assert.ok(statuses.has('uploaded') && statuses.has('concluded'), [...statuses].join());
  for (const c of cases.filter((x) => x.status !== 'uploaded')) assert.equal(c.reviewer, 'expert');
  const { missing } = (
    await db.query<{ missing: number }>(
      `select count(*)::int as missing from fr_case c cross join fr_dimension d
      where c.status = 'concluded' and d.active and not exists (select 1 from fr_case_finding f where f.case_id = c.id and f.dimension_code = d.code)`,
    )
  )[0]!;
  assert.equal(missing, 0, 'every concluded case has a finding per dimension');
  const { n } = (await db.query<{ n: number }>(`select count(*)::int as n from fr_case where (status = 'concluded') <> (conclusion is not null)`))[0]!;
  assert.equal(n, 0);
});

test('the same seed gives the same cases (digest)', async () => {
  const again = await openWorldTestDb();
  try {
    const d2 = (await generateWorld(again.db, KeyRing.generate(), { seed: 7, residents: 300, stages: [...WORLD_STAGES, feeReviewWorld] })).digest;
    assert.equal(d2, digest);
  } finally {
    await again.drop();
  }
});
