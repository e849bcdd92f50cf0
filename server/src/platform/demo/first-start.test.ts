import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyRing } from '../crypto/keyring.ts';
import { type Kernel, startKernel } from '../kernel.ts';
import { collectStages, readWorldMeta } from '../world/runner.ts';
import { worldTestModules } from '../world/testing.ts';
import { openTestDb } from '../../test/db.ts';
import { testConfig } from '../../test/harness.ts';
import type { WeijianModule } from '../module.ts';
import { FirstStartError, onFirstStart } from './first-start.ts';

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

/** Rows of every table, by name: what "nothing half-built" is checked against. */
async function rowCounts(db: Kernel['db']): Promise<Record<string, number>> {
  const tables = await db.query<{ t: string }>(
    `select format('%I.%I', table_schema, table_name) as t from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1`,
  );
  const out: Record<string, number> = {};
  for (const { t } of tables) out[t] = (await db.query<{ n: number }>(`select count(*)::int as n from ${t}`))[0]?.n ?? 0;
  return out;
}

test('a stage that fails stops the first start with a clear message and leaves nothing behind; the next start builds the world', async () => {
  const t = await openTestDb();
  try {
    const k = await startKernel(testConfig({ demo: true, worldResidents: 300, worldSeed: 7 }), worldTestModules(), { db: t.db, keys: KeyRing.generate() });
    const before = await rowCounts(t.db);
    // After every real stage has written its rows, as the fee-review stage did when 「嗽」 came back as NUL.
    const failing: WeijianModule = {
      name: 'test.failing-stage',
      title: '测试',
      system: 'platform',
      world: { name: 'failing', order: 1_000_000, title: '会失败的阶段', run: async (ctx) => {
        await ctx.truth('failing', 'test', 'none', '1');
        throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
      } },
    };
    const broken = { ...k, modules: [...k.modules, failing] };
    assert.ok(collectStages(broken.modules).length > 2, 'the real stages run before the failing one');
    const err = sink();
    const out = sink();
    await assert.rejects(onFirstStart(broken, { stderr: err, stdout: out }), (e: unknown) => {
      assert.ok(e instanceof FirstStartError, String(e));
      assert.match(e.message, /会失败的阶段.*0x00/);
      return true;
    });
    const said = err.chunks.join('');
    assert.match(said, /✗ 首次启动失败：演示世界阶段「会失败的阶段」（failing）出错：invalid byte sequence/);
    assert.match(said, /已清除本次生成的演示数据/);
    assert.equal(out.chunks.join(''), '', 'no demo accounts printed');
    // fd_count_generation is bumped by the erasure itself, on purpose: header counts cached for the erased
    // world must not be served again (family-doctor 013). Every other table is as before.
    const { 'public.fd_count_generation': _bumped, ...after } = await rowCounts(t.db);
    const { 'public.fd_count_generation': _was, ...expected } = before;
    assert.deepEqual(after, expected);
    assert.equal(await readWorldMeta(t.db), null);

    const again = sink();
    await onFirstStart(k, { stderr: again, stdout: again });
    assert.equal((await readWorldMeta(t.db))?.status, 'ready');
    const [n] = await t.db.query<{ demo: number; min: number }>('select (select count(*) from app_user where demo)::int as demo, (select min(id) from person)::int as min');
    assert.deepEqual(n, { demo: 11, min: 1 });
  } finally {
    await t.drop();
  }
});

test('a world the demo accounts cannot be made for is erased too: no "ready" world without accounts', async () => {
  const t = await openTestDb();
  try {
    const k = await startKernel(testConfig({ demo: true, worldResidents: 10 }), worldTestModules(), { db: t.db, keys: KeyRing.generate() });
    // A world of one stage that makes no hospital and no team: the demo accounts have nothing to be scoped to.
    const empty: WeijianModule = { name: 'test.empty-world', title: '测试', system: 'platform', world: { name: 'empty', order: 1, title: '空世界', run: (ctx) => ctx.truth('empty', 'test', 'none', '1') } };
    const s = sink();
    await assert.rejects(onFirstStart({ ...k, modules: [empty] }, { stderr: s, stdout: s }), (e: unknown) => e instanceof FirstStartError && /创建演示账号出错/.test(e.message));
    assert.match(s.chunks.join(''), /✗ 首次启动失败：创建演示账号出错：.*\n {2}已清除本次生成的演示数据/);
    assert.equal(await readWorldMeta(t.db), null);
    assert.deepEqual(await t.db.query('select * from world_truth'), []);
  } finally {
    await t.drop();
  }
});
