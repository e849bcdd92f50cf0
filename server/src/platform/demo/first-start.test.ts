import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyRing } from '../crypto/keyring.ts';
import { type Kernel, startKernel } from '../kernel.ts';
import { readWorldMeta } from '../world/runner.ts';
import { worldTestModules } from '../world/testing.ts';
import { openTestDb } from '../../test/db.ts';
import { testConfig } from '../../test/harness.ts';
import { onFirstStart } from './first-start.ts';

let kernel: Kernel;
let drop: () => Promise<void>;

before(async () => {
  const t = await openTestDb();
  drop = t.drop;
  kernel = await startKernel(testConfig({ demo: true, worldResidents: 300, worldSeed: 7 }), worldTestModules(), { db: t.db, keys: KeyRing.generate() });
});
after(() => drop());

function sink() {
  const chunks: string[] = [];
  return { chunks, write: (s: string) => chunks.push(s), isTTY: false };
}

let firstPeople = 0;

test('first start generates the world and the demo accounts, then later starts skip at once', async () => {
  const err = sink();
  const out = sink();
  await onFirstStart(kernel, { stderr: err, stdout: out });
  const meta = await readWorldMeta(kernel.db);
  assert.deepEqual([meta?.status, meta?.seed, meta?.residents], ['ready', 7, 300]);
  const [n] = await kernel.db.query<{ people: number; demo: number }>('select (select count(*) from person)::int as people, (select count(*) from app_user where demo)::int as demo');
  // 300 generated residents, plus the children later stages (births) add to the index.
  assert.ok(n.people >= 300, `${n.people} people`);
  assert.equal(n.demo, 11);
  firstPeople = n.people;
  const text = out.chunks.join('');
  for (const w of ['city_admin', 'family_doctor', 'docs/demo.md', 'Weijian@2026demo']) assert.ok(text.includes(w), w);
  assert.match(err.chunks.join(''), /✓ \[1\/\d+\] 主数据/);

  const t0 = performance.now();
  const quiet = sink();
  await onFirstStart(kernel, { stderr: quiet, stdout: quiet });
  assert.ok(performance.now() - t0 < 100, `second start took ${performance.now() - t0} ms`);
  assert.equal(quiet.chunks.length, 0);
});

test('an interrupted generation is erased and generated again', async () => {
  await kernel.db.query("update world_meta set status = 'generating'");
  const s = sink();
  await onFirstStart(kernel, { stderr: s, stdout: s });
  const [n] = await kernel.db.query<{ people: number; min: number }>('select count(*)::int as people, min(id)::int as min from person');
  assert.deepEqual(n, { people: firstPeople, min: 1 });
  assert.equal((await readWorldMeta(kernel.db))?.status, 'ready');
});

test('production refuses', async () => {
  await assert.rejects(onFirstStart({ ...kernel, config: { ...kernel.config, env: 'production' } }), /production/);
});

test('a database holding real data starts without demo data instead of failing', async () => {
  const t = await openTestDb();
  try {
    const k = await startKernel(testConfig({ demo: true, worldResidents: 10 }), worldTestModules(), { db: t.db, keys: KeyRing.generate() });
    await t.db.exec("insert into institution (code, name, kind, district_code) values ('X1', '真实机构', 'other', '310101')");
    const s = sink();
    await onFirstStart(k, { stderr: s, stdout: s });
    assert.match(s.chunks.join(''), /未生成演示世界/);
    assert.equal(await readWorldMeta(t.db), null);
  } finally {
    await t.drop();
  }
});
