// The compliance section of `npm run bench` (`npm run bench -- --only compliance`): issue 5's three figures
// side by side in one run —
//  (a) 50 rules over 10,000,000 fee lines on PostgreSQL (target ≤ 60 s): the product's own `compliance.run`
//      job (startKernel + runPendingJobs), full strategy, findings written, per-rule hits and milliseconds;
//  (b) the in-memory evaluator against json-rules-engine (bench/rules-evaluator.ts, target ≥ 20×);
//  (c) per category, the built-in rules' alerts against the world's planted ground truth at that scale
//      (target precision ≥ 95% and recall ≥ 95%).
// The world (master data, residents, hospital data with BENCH_COMPLIANCE_FEE_LINES fee lines) is generated
// once with COPY into its own database and reused while it has enough fee lines.
// Env: BENCH_COMPLIANCE_DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/weijian_bench_compliance),
// BENCH_COMPLIANCE_FEE_LINES (10000000), BENCH_COMPLIANCE_RESIDENTS (20000), BENCH_COMPLIANCE_RULES (50),
// WEIJIAN_COMPLIANCE_PARALLEL (rules at once, default 2). Results: bench/results/<date>-compliance.{json,md}.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { AuditBuffer } from '../server/src/platform/audit/event.ts';
import { SYSTEM_PRINCIPAL } from '../server/src/platform/auth/principal.ts';
import { loadConfig } from '../server/src/platform/config.ts';
import { runPendingJobs } from '../server/src/platform/jobs/scheduler.ts';
import { startKernel } from '../server/src/platform/kernel.ts';
import { type Rule, rb } from '../server/src/platform/rules/index.ts';
import { generateWorld, readWorldMeta } from '../server/src/platform/world/runner.ts';
import { allModules } from '../server/src/modules.ts';
import { masterDataWorld } from '../server/src/systems/common/master-data/world.ts';
import { residentIndexWorld } from '../server/src/systems/common/resident-index/world.ts';
import { BUILTIN_RULES } from '../server/src/systems/hospital-monitoring/compliance/builtin.ts';
import { type Category, CATEGORY_CODES, CATEGORY_TITLE, ITEM_CODES } from '../server/src/systems/hospital-monitoring/compliance/catalog.ts';
import { ruleIdByCode } from '../server/src/systems/hospital-monitoring/compliance/repository.ts';
import { createRule } from '../server/src/systems/hospital-monitoring/compliance/rules.ts';
import { requestRun } from '../server/src/systems/hospital-monitoring/compliance/run.ts';
import { hospitalDataStage, STAGE } from '../server/src/systems/hospital-monitoring/compliance/world.ts';
import { ensureBenchDatabase } from './postgres.ts';

const env = process.env;
const DB_URL = env.BENCH_COMPLIANCE_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/weijian_bench_compliance';
const FEE_LINES = Number(env.BENCH_COMPLIANCE_FEE_LINES ?? 10_000_000);
const RESIDENTS = Number(env.BENCH_COMPLIANCE_RESIDENTS ?? 20_000);
const RULES = Number(env.BENCH_COMPLIANCE_RULES ?? 50);
const DATA_DIR = env.BENCH_COMPLIANCE_DATA_DIR ?? 'tmp/bench-compliance';
const TARGET_SECONDS = 60;
const log = (m: string) => process.stdout.write(`[bench:compliance] ${m}\n`);
const r1 = (x: number) => Math.round(x * 10) / 10;

const { and, gt, eq, count, sum, ref, lit, trunc, daysBetween, add } = rb;
const isItem = (code: string) => eq(ref('item_code'), lit(code));

/**
 * The bench's rule set: the 12 built-in rules (every category) plus realistic variants a commission
 * configures — per-item daily limits per patient, single-line amount caps, monthly CT limits, per-stay line
 * counts and per-doctor monthly totals — up to RULES rules. Most read one item through the item index; the
 * window totals read every fee line.
 */
export function benchRules(): { code: string; category: Category; title: string; rule: Omit<Rule, 'id' | 'version'> }[] {
  const out: { code: string; category: Category; title: string; rule: Omit<Rule, 'id' | 'version'> }[] = [];
  const perPatientDay = [ref('encounter.person_id'), ref('charged_on')];
  const items = Object.keys(ITEM_CODES).filter((c) => c !== 'B001');
  for (const code of items) {
    const title = `同一患者同一天 ${ITEM_CODES[code]} 收费超过 3 次`;
    out.push({
      code: `bench.daily.${code}`,
      category: 'reasonable_fee',
      title,
      rule: { source: 'fee_line', title, when: and(isItem(code), gt(count({ by: perPatientDay, where: isItem(code) }), 3)) },
    });
  }
  const caps: [string, number][] = [
    ['M001', 1900],
    ['M002', 390],
    ['S001', 9000],
    ['C001', 30000],
    ['X001', 300],
    ['L002', 60],
    ['T001', 15],
    ['D001', 25],
    ['D002', 40],
    ['L001', 20],
    ['W001', 700],
    ['N002', 1100],
  ];
  for (const [code, cap] of caps) {
    const title = `${ITEM_CODES[code]} 单笔金额超过 ${cap} 元`;
    out.push({
      code: `bench.cap.${code}`,
      category: 'reasonable_fee',
      title,
      rule: { source: 'fee_line', title, when: and(isItem(code), gt(ref('amount'), cap)) },
    });
  }
  out.push({
    code: 'bench.ct.monthly',
    category: 'reasonable_treatment',
    title: '同一患者同月 CT 检查超过 4 次',
    rule: {
      source: 'fee_line',
      title: '同一患者同月 CT 检查超过 4 次',
      when: and(isItem('X001'), gt(count({ by: [ref('encounter.person_id'), trunc(ref('charged_on'), 'month')], where: isItem('X001') }), 4)),
    },
  });
  out.push({
    code: 'bench.stay.lines',
    category: 'reasonable_fee',
    title: '单次就诊收费明细超过 30 条',
    rule: { source: 'fee_line', title: '单次就诊收费明细超过 30 条', when: gt(count({ by: [ref('encounter_id')] }), 30) },
  });
  out.push({
    code: 'bench.doctor.monthly',
    category: 'staff_behavior',
    title: '医师当月开单金额超过 50 万元',
    rule: {
      source: 'fee_line',
      title: '医师当月开单金额超过 50 万元',
      when: gt(sum('amount', { by: [ref('practitioner_id'), trunc(ref('charged_on'), 'month')] }), 500_000),
    },
  });
  for (const code of ['D001', 'D002', 'L001', 'L002', 'T001']) {
    const title = `同一患者同月 ${ITEM_CODES[code]} 超过 10 次`;
    out.push({
      code: `bench.monthly.${code}`,
      category: 'reasonable_treatment',
      title,
      rule: {
        source: 'fee_line',
        title,
        when: and(isItem(code), gt(count({ by: [ref('encounter.person_id'), trunc(ref('charged_on'), 'month')], where: isItem(code) }), 10)),
      },
    });
  }
  const stayDays = add(daysBetween(ref('encounter.admitted_on'), ref('encounter.discharged_on')), 1);
  for (const code of ['W001', 'N001']) {
    const title = `${ITEM_CODES[code]}数量超过住院天数`;
    out.push({
      code: `bench.days.${code}`,
      category: 'reasonable_fee',
      title,
      rule: { source: 'fee_line', title, when: and(isItem(code), gt(ref('qty'), stayDays)) },
    });
  }
  out.push({
    code: 'bench.d001.inpatient',
    category: 'reasonable_fee',
    title: '住院就诊收取门诊诊察费',
    rule: { source: 'fee_line', title: '住院就诊收取门诊诊察费', when: and(isItem('D001'), eq(ref('encounter.kind'), lit('inpatient'))) },
  });
  out.push({
    code: 'bench.stay.amount',
    category: 'reasonable_fee',
    title: '单次就诊费用合计超过 5 万元',
    rule: { source: 'fee_line', title: '单次就诊费用合计超过 5 万元', when: gt(sum('amount', { by: [ref('encounter_id')] }), 50_000) },
  });
  out.push({
    code: 'bench.drug.category',
    category: 'reasonable_fee',
    title: '药品类单笔金额超过 1900 元',
    rule: { source: 'fee_line', title: '药品类单笔金额超过 1900 元', when: and(eq(ref('category'), lit('药品')), gt(ref('amount'), 1900)) },
  });
  return out;
}

interface Section {
  met: boolean;
  [k: string]: unknown;
}

/** (a) and (c): the product's job over the bench world. */
async function ruleRun(): Promise<{ a: Section; c: Section; world: Record<string, unknown> }> {
  await ensureBenchDatabase(DB_URL, { log });
  Object.assign(env, { DATABASE_URL: DB_URL, WEIJIAN_DATA_DIR: DATA_DIR, WEIJIAN_DEMO: 'false', WEIJIAN_JOBS: 'false', LOG_LEVEL: env.LOG_LEVEL ?? 'warn' });
  const kernel = await startKernel(loadConfig(), allModules);
  const { db } = kernel;
  try {
    const meta = await readWorldMeta(db);
    const have = meta?.status === 'ready' ? (await db.query<{ n: number }>('select count(*)::int as n from hm_fee_line'))[0]!.n : 0;
    let worldSeconds: number | null = null;
    if (have < FEE_LINES) {
      log(`generating the world: ${RESIDENTS} residents, ${FEE_LINES.toLocaleString()} fee lines (COPY) …`);
      const t = Date.now();
      let last = 0;
      await generateWorld(db, kernel.keys, {
        seed: 1,
        residents: RESIDENTS,
        stages: [masterDataWorld, residentIndexWorld, hospitalDataStage({ feeLines: FEE_LINES })],
        force: true,
        digest: false,
        onProgress: (label, done, total) => {
          if (Date.now() - last > 15_000) {
            last = Date.now();
            log(`  ${label} ${done.toLocaleString()} / ${total.toLocaleString()}`);
          }
        },
      });
      await db.exec('analyze');
      worldSeconds = r1((Date.now() - t) / 1000);
      log(`world generated in ${worldSeconds} s`);
    } else log(`reusing the world (${have.toLocaleString()} fee lines)`);
    // Physical layout: fee lines stored in item order (CLUSTER on the item index), as a warehouse would load
    // them. Most rules read one item; interleaved, that item's rows touch nearly every page of the table.
    const clustered = (
      await db.query<{ ok: boolean }>(`select coalesce(bool_or(indisclustered), false) as ok from pg_index where indexrelid = 'hm_fee_line_item'::regclass`)
    )[0]!;
    // A migration that backfills a column (006_fee_line_person) leaves every old row version dead: the
    // table doubles and each scan reads it twice over, so rewrite it once more in item order.
    const [dead] = await db.query<{ bloated: boolean }>(
      `select coalesce(n_dead_tup > n_live_tup / 5, false) as bloated from pg_stat_user_tables where relname = 'hm_fee_line'`,
    );
    let clusterSeconds: number | null = null;
    if (env.BENCH_COMPLIANCE_CLUSTER !== '0' && (!clustered.ok || dead?.bloated)) {
      log(`clustering hm_fee_line by item (one-off${dead?.bloated ? ', dead rows after a backfill' : ''}) …`);
      const t = Date.now();
      await db.exec('cluster hm_fee_line using hm_fee_line_item; analyze hm_fee_line');
      clusterSeconds = r1((Date.now() - t) / 1000);
      log(`clustered in ${clusterSeconds} s`);
    }
    // After a bulk load or a CLUSTER the visibility map is empty until (auto)vacuum has run, and every
    // index-only scan visits the heap anyway; a server in use has had autovacuum. Cheap when nothing changed.
    await db.exec('vacuum (analyze) hm_fee_line, hm_encounter, hm_diagnosis, hm_procedure');
    const w = (
      await db.query<Record<string, number>>(
        `select (select count(*)::int from hm_fee_line) as "feeLines", (select count(*)::int from hm_encounter) as encounters,
              (select count(*)::int from hm_diagnosis) as diagnoses, (select count(*)::int from hm_procedure) as procedures,
              (select count(distinct institution_id)::int from hm_encounter) as hospitals, (select count(*)::int from world_truth where stage = $1) as truths,
              (select pg_total_relation_size('hm_fee_line') / 1048576)::int as "feeLineMb"`,
        [STAGE],
      )
    )[0]!;
    log(`world: ${JSON.stringify(w)}`);

    // The rule set: built-ins (seeded at start) plus the variants, all enabled; nothing else enabled.
    const ids = await db.transaction(async (tx) => {
      const ctx = { tx, principal: SYSTEM_PRINCIPAL, audit: new AuditBuffer(), kernel };
      const out: number[] = [];
      for (const b of BUILTIN_RULES) out.push((await ruleIdByCode(tx, b.code)) as number);
      for (const v of benchRules().slice(0, Math.max(0, RULES - BUILTIN_RULES.length))) {
        let id = await ruleIdByCode(tx, v.code);
        if (id === null) id = (await createRule(ctx, { category: v.category, title: v.title, enabled: true, rule: v.rule as never }, { code: v.code })).id;
        out.push(id);
      }
      await tx.query('update cm_rule set enabled = (id = any($1::int8[]))', [out]);
      await tx.exec('truncate cm_disposal_event, cm_disposal_finding, cm_disposal, cm_finding, cm_run_rule, cm_run');
      // The bench database runs only this job: other modules' schedules (and queued runs) stay out of the timing.
      await tx.query(`update job_schedule set enabled = false where name <> 'compliance.run'`);
      await tx.query(`update job_run set status = 'cancelled', finished_at = now() where status in ('queued', 'retrying', 'running')`);
      return out;
    });
    log(`${ids.length} rules; running the compliance.run job (full, ${env.WEIJIAN_COMPLIANCE_PARALLEL ?? 2} at once) …`);
    const loadBefore = loadavg()[0]!;
    const t0 = Date.now();
    const runId = await db.transaction(
      async (tx) => (await requestRun({ tx, principal: SYSTEM_PRINCIPAL, audit: new AuditBuffer(), kernel }, { mode: 'full' })).runId,
    );
    await runPendingJobs(kernel, { untilIdle: true });
    const seconds = r1((Date.now() - t0) / 1000); // request → job claimed → every rule → run finished
    const wallSeconds = seconds;
    const run = (
      await db.query<{ status: string; hits: number; inserted: number; seconds: number }>(
        'select status, hits, inserted, extract(epoch from finished_at - started_at)::float8 as seconds from cm_run where id = $1',
        [runId],
      )
    )[0]!;
    const perRule = await db.query<{ code: string; title: string; hits: number; ms: number; error: string | null }>(
      `select r.code, r.title, rr.hits, rr.ms, rr.error from cm_run_rule rr join cm_rule r on r.id = rr.rule_id where rr.run_id = $1 order by rr.ms desc`,
      [runId],
    );
    const sumMs = perRule.reduce((a, r) => a + r.ms, 0);
    log(`run #${runId} ${run.status}: ${perRule.length} rules, ${run.hits} hits in ${seconds} s (sum of per-rule times ${r1(sumMs / 1000)} s)`);
    const a: Section = {
      met: run.status === 'succeeded' && perRule.length === ids.length && wallSeconds <= TARGET_SECONDS,
      target: `${ids.length} rules over ${w.feeLines!.toLocaleString()} fee lines ≤ ${TARGET_SECONDS} s`,
      seconds: wallSeconds,
      runSeconds: r1(run.seconds),
      rules: perRule.length,
      status: run.status,
      hits: run.hits,
      findings: run.inserted,
      sumOfRuleSeconds: r1(sumMs / 1000),
      parallel: Number(env.WEIJIAN_COMPLIANCE_PARALLEL ?? 2),
      // The machine is shared: the 1-minute load average before and after the run says how much of it was ours.
      loadAverage: { before: r1(loadBefore), after: r1(loadavg()[0]!) },
      perRule,
    };

    // (c) per category against the planted truth, built-in rules only.
    const OBJECT_TYPE: Record<string, string> = { fee_line: 'hm_fee_line', procedure: 'hm_procedure', diagnosis: 'hm_diagnosis', encounter: 'hm_encounter' };
    const cat = new Map<string, { truth: number; found: number; hit: number }>();
    const kinds: Record<string, unknown>[] = [];
    for (const b of BUILTIN_RULES) {
      const x = (
        await db.query<{ truth: number; found: number; hit: number }>(
          `with t as (select object_id from world_truth where stage = $1 and kind = $2 and object_type = $3),
              f as (select f.object_key from cm_finding f join cm_rule r on r.id = f.rule_id where r.code = $4)
         select (select count(*)::int from t) as truth, (select count(*)::int from f) as found,
                (select count(*)::int from f join t on t.object_id = f.object_key) as hit`,
          [STAGE, b.plantedKind, OBJECT_TYPE[b.rule.source], b.code],
        )
      )[0]!;
      kinds.push({ kind: b.plantedKind, category: b.category, ...x });
      const c = cat.get(b.category) ?? { truth: 0, found: 0, hit: 0 };
      cat.set(b.category, { truth: c.truth + x.truth, found: c.found + x.found, hit: c.hit + x.hit });
    }
    const categories = CATEGORY_CODES.map((code) => {
      const c = cat.get(code) ?? { truth: 0, found: 0, hit: 0 };
      const precision = c.found ? c.hit / c.found : 0;
      const recall = c.truth ? c.hit / c.truth : 0;
      return { category: code, title: CATEGORY_TITLE[code], ...c, precision: r1(precision * 1000) / 10, recall: r1(recall * 1000) / 10 };
    });
    const c: Section = {
      met: categories.every((x) => x.precision >= 95 && x.recall >= 95),
      target: 'precision ≥ 95% and recall ≥ 95% per category',
      categories,
      kinds,
    };
    const layout = env.BENCH_COMPLIANCE_CLUSTER === '0' && !clustered.ok ? 'fee lines in load order' : 'fee lines clustered by item (hm_fee_line_item)';
    const settings = await db.query<{ name: string; setting: string }>(
      `select name, current_setting(name) as setting from pg_settings
        where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'max_parallel_workers_per_gather') order by name`,
    );
    const pgSettings = settings.map((x) => `${x.name}=${x.setting}`).join(', ');
    return { a, c, world: { ...w, pgSettings, generationSeconds: worldSeconds, clusterSeconds, layout, database: DB_URL.replace(/:[^:@/]+@/, ':***@') } };
  } finally {
    await kernel.db.close();
  }
}

/** (b): the existing evaluator bench, run as its own process; its result file is read back. */
function evaluatorBench(): Section {
  log('running bench:rules (evaluator vs json-rules-engine) …');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/rules-evaluator.ts'], { stdio: 'inherit', env });
  const stamp = new Date().toISOString().slice(0, 10);
  const res = JSON.parse(readFileSync(`bench/results/${stamp}-rules-evaluator.json`, 'utf8'));
  return {
    met: r.status === 0 && res.met === true,
    target: `≥ ${res.target}× faster than json-rules-engine`,
    speedup: res.speedup,
    weijianRecordsPerSecond: res.weijian.recordsPerSecond,
    jsonRulesEngineRecordsPerSecond: res.jsonRulesEngine.recordsPerSecond,
    rules: res.rules.length,
    records: res.agreement.records,
    mismatches: res.agreement.mismatches,
  };
}

export async function complianceBench(): Promise<boolean> {
  const started = Date.now();
  const { a, c, world } = await ruleRun();
  const b = evaluatorBench();
  const result = {
    name: 'compliance',
    date: new Date().toISOString(),
    machine: { cores: cpus().length, node: process.version, database: `PostgreSQL 15 (local Debian cluster; ${world.pgSettings})` },
    world,
    ruleRun: a,
    evaluator: b,
    accuracy: c,
    totalSeconds: r1((Date.now() - started) / 1000),
  };
  const stamp = result.date.slice(0, 10);
  mkdirSync('bench/results', { recursive: true });
  const base = `bench/results/${stamp}-compliance`;
  writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const perRule = a.perRule as { code: string; title: string; hits: number; ms: number; error: string | null }[];
  const cats = c.categories as { title: string; truth: number; found: number; hit: number; precision: number; recall: number }[];
  const md = [
    `# Compliance benchmark — ${result.date}`,
    '',
    `World: ${Number(world.feeLines).toLocaleString()} fee lines, ${Number(world.encounters).toLocaleString()} encounters, ${world.hospitals} hospitals, 24 months (hm_fee_line ${world.feeLineMb} MB)${world.generationSeconds ? `, generated in ${world.generationSeconds} s` : ''}; ${world.layout}${world.clusterSeconds ? ` (CLUSTER took ${world.clusterSeconds} s)` : ''}. ${result.machine.cores} cores, node ${process.version}, ${result.machine.database}.`,
    '',
    '| figure | target | result | met |',
    '|---|---|---|---|',
    `| (a) ${a.rules} rules over ${Number(world.feeLines).toLocaleString()} fee lines on PostgreSQL (compliance.run job, full, ${a.parallel} at once) | ≤ ${TARGET_SECONDS} s | ${a.seconds} s from request to finish (job ${a.runSeconds} s; ${a.hits} hits; rules' own times add up to ${a.sumOfRuleSeconds} s) | ${a.met ? 'yes' : '**no**'} |`,
    `| (b) in-memory evaluator vs json-rules-engine (${b.rules} rules, ${b.records} records, ${b.mismatches} mismatches) | ≥ 20× | ${b.speedup}× (${b.weijianRecordsPerSecond} vs ${b.jsonRulesEngineRecordsPerSecond} records/s) | ${b.met ? 'yes' : '**no**'} |`,
    `| (c) alerts vs planted ground truth, per category (11) | precision and recall ≥ 95% | min precision ${Math.min(...cats.map((x) => x.precision))}%, min recall ${Math.min(...cats.map((x) => x.recall))}% | ${c.met ? 'yes' : '**no**'} |`,
    '',
    `Machine load (1-minute load average) before / after the rule run: ${(a.loadAverage as { before: number }).before} / ${(a.loadAverage as { after: number }).after} on ${result.machine.cores} cores (shared with other work).`,
    '',
    '## (c) per category',
    '',
    '| category | planted | alerts | correct | precision % | recall % |',
    '|---|---:|---:|---:|---:|---:|',
    ...cats.map((x) => `| ${x.title} | ${x.truth} | ${x.found} | ${x.hit} | ${x.precision} | ${x.recall} |`),
    '',
    '## (a) per rule (slowest first)',
    '',
    '| rule | title | hits | ms |',
    '|---|---|---:|---:|',
    ...perRule.map((r) => `| ${r.code ?? ''} | ${r.title} | ${r.hits} | ${r.ms}${r.error ? ` (error: ${r.error})` : ''} |`),
    '',
    'Reproduce: `npm run bench -- --only compliance` (env BENCH_COMPLIANCE_FEE_LINES, BENCH_COMPLIANCE_RULES, WEIJIAN_COMPLIANCE_PARALLEL, BENCH_COMPLIANCE_DATABASE_URL). The world is generated once (COPY) and reused.',
    '',
  ].join('\n');
  writeFileSync(`${base}.md`, md);
  log(`results: ${base}.json and .md (${result.totalSeconds} s)`);
  process.stdout.write(`\n${md}\n`);
  return a.met && b.met && c.met;
}
