import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyRing } from '../crypto/keyring.ts';
import { type Kernel, startKernel } from '../kernel.ts';
import { collectStages, readWorldMeta } from '../world/runner.ts';
import { worldTestModules } from '../world/testing.ts';
import { openTestDb } from '../../test/db.ts';
import { testConfig } from '../../test/harness.ts';
import type { WeijianModule } from '../module.ts';
import { todayInShanghai } from '../rules/dates.ts';
import { FirstStartError, onFirstStart } from './first-start.ts';
import { DEMO_FIRST_RUNS } from './first-runs.ts';

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

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

test('first start generates the world and the demo accounts, then later starts skip at once', async () => {
  const err = sink();
  const out = sink();
  const dayBefore = todayInShanghai();
  await onFirstStart(kernel, { stderr: err, stdout: out });
  const meta = await readWorldMeta(kernel.db);
  assert.deepEqual([meta?.status, meta?.seed, meta?.residents], ['ready', 7, 300]);
  const n = (
    await kernel.db.query<{ people: number; demo: number }>(
      'select (select count(*) from person)::int as people, (select count(*) from app_user where demo)::int as demo',
    )
  )[0]!;
  // 300 generated residents, plus the children later stages (births) add to the index.
  assert.ok(n.people >= 300, `${n.people} people`);
  assert.equal(n.demo, 11);
  firstPeople = n.people;
  const text = out.chunks.join('');
  for (const w of ['city_admin', 'family_doctor', 'docs/demo.md', 'Weijian@2026demo']) assert.ok(text.includes(w), w);
  assert.match(err.chunks.join(''), /✓ \[1\/\d+\] 主数据/);

  // The demo reaches today: the world's "today" is the start date, yesterday's snapshot is the newest (the
  // nightly job adds each finished day), and contracts, visits and encounters run up to today.
  const today = meta?.asOf as string;
  assert.ok([dayBefore, todayInShanghai()].includes(today), `world today ${today}`);
  const d = (
    await kernel.db.query<{ snap: string; yesterday: string; visit: string; event: string; encounter: string }>(
      `select (select max(snap_date)::text from fs_daily_snapshot) as snap, ($1::date - 1)::text as yesterday,
            (select max(visit_date)::text from fd_visit) as visit, (select max(on_date)::text from fd_contract_event) as event,
            (select max(admitted_on)::text from hm_encounter) as encounter`,
      [today],
    )
  )[0]!;
  assert.equal(d.snap, d.yesterday);
  for (const k of ['visit', 'event', 'encounter'] as const) {
    assert.ok(d[k] <= today && d[k] >= addDays(today, -30), `newest ${k} ${d[k]} should be within the 30 days before ${today}`);
  }

  // The headline pages have results: the first runs found compliance leads and data-quality anomalies.
  const r = (
    await kernel.db.query<{ findings: number; anomalies: number; cm: string; dq: string; enabled: boolean }>(
      `select (select count(*) from cm_finding)::int as findings, (select count(*) from dq_anomaly where status = 'open')::int as anomalies,
            (select status from cm_run order by id desc limit 1) as cm, (select status from dq_run order by id desc limit 1) as dq,
            (select enabled from job_schedule where name = 'compliance.run') as enabled`,
    )
  )[0]!;
  assert.ok(r.findings > 0, `${r.findings} compliance findings`);
  assert.ok(r.anomalies > 0, `${r.anomalies} data-quality anomalies`);
  assert.deepEqual([r.cm, r.dq, r.enabled], ['succeeded', 'succeeded', true]);
  const runs = await kernel.db.query<{ job: string; status: string }>("select job, status from job_run where requested_by = 'demo' order by id");
  assert.deepEqual(
    runs,
    DEMO_FIRST_RUNS.map((r) => ({ job: r.job, status: 'succeeded' })),
  );
  assert.match(err.chunks.join(''), /✓ 首次运行：医疗服务合规监测.*\n✓ 首次运行：多源数据质量自检/s);

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
      world: {
        name: 'failing',
        order: 1_000_000,
        title: '会失败的阶段',
        run: async (ctx) => {
          await ctx.truth('failing', 'test', 'none', '1');
          throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
        },
      },
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
    const [n] = await t.db.query<{ demo: number; min: number }>(
      'select (select count(*) from app_user where demo)::int as demo, (select min(id) from person)::int as min',
    );
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
    const empty: WeijianModule = {
      name: 'test.empty-world',
      title: '测试',
      system: 'platform',
      world: { name: 'empty', order: 1, title: '空世界', run: (ctx) => ctx.truth('empty', 'test', 'none', '1') },
    };
    const s = sink();
    await assert.rejects(
      onFirstStart({ ...k, modules: [empty] }, { stderr: s, stdout: s }),
      (e: unknown) => e instanceof FirstStartError && /创建演示账号出错/.test(e.message),
    );
    assert.match(s.chunks.join(''), /✗ 首次启动失败：创建演示账号出错：.*\n {2}已清除本次生成的演示数据/);
    assert.equal(await readWorldMeta(t.db), null);
    assert.deepEqual(await t.db.query('select * from world_truth'), []);
  } finally {
    await t.drop();
  }
});
