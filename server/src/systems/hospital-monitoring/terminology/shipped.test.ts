// The shipped national tables: loaded by COPY fast (ICD-10 ≤ 10 s), once (a second start changes nothing),
// sealed by the SM3 hash of their content, with the chapter → block → category → code hierarchy.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyRing } from '../../../platform/crypto/keyring.ts';
import { openPglite } from '../../../platform/db/pglite.ts';
import type { Database } from '../../../platform/db/types.ts';
import { kernelModules } from '../../../platform/kernel-modules.ts';
import { startKernel } from '../../../platform/kernel.ts';
import { testConfig } from '../../../test/harness.ts';
import { contentHash, pgTextArray } from './model.ts';
import { terminologyModule } from './module.ts';
import { ICD10_YB, loadShipped, SHIPPED_SYSTEMS, shippedConcepts } from './shipped.ts';

let db: Database;

before(async () => {
  // A database with only the kernel and this module's tables, nothing loaded yet.
  db = await openPglite(null);
  await startKernel(testConfig(), [...kernelModules, { ...terminologyModule, onStart: undefined }], { db, keys: KeyRing.generate() });
});
after(() => db.close());

test('the shipped tables load by COPY within the time budget, then never again', async () => {
  const loaded = await loadShipped(db);
  assert.equal(loaded.length, 4);
  const { n } = (
    await db.query<{ n: number }>(`select count(*)::int as n from term_concept c join term_system s on s.id = c.system_id where s.url = $1`, [ICD10_YB])
  )[0]!;
  assert.equal(n, 35_133); // 33,304 医保版 codes + 22 chapters + blocks + 1,585 categories
  assert.deepEqual(await loadShipped(db), []);
  const { versions } = (await db.query<{ versions: number }>('select count(*)::int as versions from term_version'))[0]!;
  assert.equal(versions, 2);
});

/** CPU time of this process: PGlite runs in it, and wall time on a shared test machine measures the neighbours. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

test('ICD-10 alone (parse, hash, COPY) takes ≤ 10 s of CPU', async () => {
  const fresh = await openPglite(null);
  try {
    await fresh.exec(
      `create table term_concept (system_id bigint, code text, display text, parents text[], status text, kind text, pinyin text, initials text, from_seq int)`,
    );
    const c0 = cpuMs();
    const t0 = performance.now();
    const concepts = shippedConcepts(SHIPPED_SYSTEMS[0].file);
    contentHash(concepts);
    await fresh.copyRows(
      'term_concept',
      ['system_id', 'code', 'display', 'parents', 'status', 'kind', 'pinyin', 'initials', 'from_seq'],
      concepts.map((c) => [1, c.code, c.display, pgTextArray(c.parents), c.status, c.kind, c.pinyin, c.initials, 1]),
    );
    const cpu = cpuMs() - c0;
    assert.ok(cpu < 10_000, `ICD-10 import took ${Math.round(cpu)} ms CPU (${Math.round(performance.now() - t0)} ms wall)`);
  } finally {
    await fresh.close();
  }
});

test('the stored version hash is the SM3 of the shipped content; the hierarchy is complete', async () => {
  const v = (
    await db.query<{ content_hash: string; concept_count: number }>(
      `select v.content_hash, v.concept_count from term_version v join term_system s on s.id = v.system_id where s.url = $1`,
      [ICD10_YB],
    )
  )[0]!;
  assert.deepEqual({ hash: v.content_hash, count: v.concept_count }, contentHash(shippedConcepts(SHIPPED_SYSTEMS[0].file)));
  // Every parent named exists, and only chapters are roots.
  const orphans = (
    await db.query<{ n: number }>(
      `select count(*)::int as n from term_concept c, unnest(c.parents) p where not exists (select 1 from term_concept x where x.system_id = c.system_id and x.code = p)`,
    )
  )[0]!;
  assert.equal(orphans.n, 0);
  const roots = await db.query<{ kind: string }>(`select distinct kind from term_concept where parents = '{}'`);
  assert.deepEqual(
    roots.map((r) => r.kind),
    ['chapter'],
  );
  const i10 = (await db.query<{ parents: string[] }>(`select parents from term_concept where code = 'I10.x00'`))[0]!;
  assert.deepEqual(i10.parents, ['I10']);
});
