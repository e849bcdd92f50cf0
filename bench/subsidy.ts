// `npm run bench -- --subsidy` (or BENCH_SUITE=subsidy): the childcare-subsidy pipeline on PostgreSQL.
//   1. screening 180,000+ children end to end (snapshot refresh, rule, pre-fill) as the screening job runs it;
//   2. planted inconsistencies of the world (ground truth) against what screening flagged: precision, recall;
//   3. the flow for a sample: confirmation SMS through the SMS gateway simulator, parents confirm on the
//      public API, and the fault-injection run against the national system simulator (down for part of
//      the run, lost acks, 5xx, duplicate and out-of-order replies): every confirmed application must
//      reach it exactly once; then the monitoring funnel over the whole world.
// Results: bench/results/<date>-subsidy.json and .md. Own database: BENCH_SUBSIDY_DATABASE_URL
// (default weijian_bench_subsidy), reused between runs; the subsidy tables are emptied first.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { AuditBuffer } from '../server/src/platform/audit/event.ts';
import { smsGatewayAdapter } from '../server/src/platform/integration/adapters/sms-gateway.ts';
import { dispatchPending } from '../server/src/platform/integration/dispatcher.ts';
import { startSimulator } from '../server/src/platform/integration/simulators/simulator.ts';
import { nationalSubsidySimulator } from '../server/src/platform/integration/simulators/systems/national-subsidy.ts';
import { smsGatewaySimulator } from '../server/src/platform/integration/simulators/systems/sms-gateway.ts';
import { DEFAULT_CLIENT_ID } from '../server/src/platform/integration/systems.ts';
import { buildServer } from '../server/src/platform/http/server.ts';
import { enqueueJob } from '../server/src/platform/jobs/enqueue.ts';
import { runPendingJobs } from '../server/src/platform/jobs/scheduler.ts';
import { parseLink } from '../server/src/systems/family-planning/childcare-subsidy/confirm-link.ts';
import { DEFAULT_FAULTS, runFaultScenario } from '../server/src/systems/family-planning/childcare-subsidy/fault-scenario.ts';
import { funnelRows, funnelTotals } from '../server/src/systems/family-planning/childcare-subsidy/monitor.ts';
import { nationalAdapter } from '../server/src/systems/family-planning/childcare-subsidy/national.ts';
import { insertRun } from '../server/src/systems/family-planning/childcare-subsidy/repository.ts';
import { SCREEN_JOB } from '../server/src/systems/family-planning/childcare-subsidy/screen.ts';
import { SMS_SYSTEM, sendConfirmations } from '../server/src/systems/family-planning/childcare-subsidy/send-sms.ts';
import { runSync } from '../server/src/systems/family-planning/childcare-subsidy/sync.ts';
import { measure } from './cpu.ts';
import { benchKernel, DB_URL } from './subsidy-kernel.ts';
import { ensureSubsidyWorld, WORLD_AS_OF } from './subsidy-world.ts';

const env = process.env;
const CHILDREN = Number(env.BENCH_SUBSIDY_CHILDREN ?? 185_000);
const RESIDENTS = Number(env.BENCH_SUBSIDY_RESIDENTS ?? 1_400_000);
const FLOW = Number(env.BENCH_SUBSIDY_FLOW ?? 1_000);
const log = (m: string) => process.stdout.write(`[bench:subsidy] ${m}\n`);
const secs = (t: number) => Math.round((Date.now() - t) / 10) / 100;

/** Which screening result detects each planted kind (world_truth of the births stage). */
const DETECTORS: Record<string, string> = {
  child_no_hukou: `'not_shanghai_hukou' = any(k.reasons)`,
  dead_child: `'dead' = any(k.reasons)`,
  duplicate_birth_record: `'duplicate_certificate' = any(c.conflicts)`,
  wrong_birth_order_claim: `'claimed_order_mismatch' = any(c.conflicts)`,
  name_mismatch: `'name_mismatch' = any(c.conflicts)`,
};

export async function runSubsidyBench(): Promise<void> {
  const kernel = await benchKernel();
  const world = await ensureSubsidyWorld(kernel.db, kernel.keys, { residents: RESIDENTS, children: CHILDREN, seed: 1, log });
  log(`world: ${world.children} children${world.seconds ? ` (generated in ${world.seconds} s)` : ' (reused)'}`);
  const db = kernel.db;
  await db.exec(`truncate cs_reconciliation_item, cs_reconciliation, cs_national_reply, cs_monitor_alert, cs_application, cs_candidate, cs_screening_run, cs_child restart identity cascade;
    update cs_sync_cursor set last_seq = 0, last_error = null;
    delete from outbox_attempt where message_id in (select id from outbox_message where system in ('national-subsidy', 'sms-gateway'));
    delete from outbox_message where system in ('national-subsidy', 'sms-gateway');
    delete from integration_circuit where system in ('national-subsidy', 'sms-gateway');
    update job_schedule set enabled = false where enabled;
    delete from job_run where status = 'queued';`);

  // 1. Screening end to end, as the job runs it (system principal, row-level security on). Only this
  // job runs: the bench database's schedules are switched off above.
  const screenOnce = async (mode: 'full' | 'incremental') => {
    const { cpu } = await measure(db.kind === 'postgres' ? new URL(DB_URL).pathname.slice(1) : null, async () => {
      await db.transaction(async (tx) => {
        const id = await insertRun(tx, mode, WORLD_AS_OF, 'bench');
        await enqueueJob(tx, SCREEN_JOB, { runId: id }, 'manual', 'bench');
      });
      await runPendingJobs(kernel, { untilIdle: true });
    });
    const r = (
      await db.query<{ id: number; status: string; judged: number; carried: number; error: string | null }>(
        'select id::int as id, status, judged, carried, error from cs_screening_run order by id desc limit 1',
      )
    )[0]!;
    if (r.status !== 'succeeded') throw new Error(`screening failed: ${r.error}`);
    // On an idle machine: at least the busier of node and PostgreSQL, at most both one after the other.
    const idle = { min: Math.max(cpu.nodeCpuSeconds, (cpu.nodeCpuSeconds + cpu.postgresCpuSeconds) / 2), max: cpu.nodeCpuSeconds + cpu.postgresCpuSeconds };
    return {
      seconds: cpu.wallSeconds,
      cpu,
      idleEstimateSeconds: { min: Math.round(idle.min * 10) / 10, max: Math.round(idle.max * 10) / 10 },
      runId: r.id,
      judged: r.judged,
      carried: r.carried,
    };
  };
  log('screening (full) …');
  const full = await screenOnce('full');
  const counts = (
    await db.query<{ total: number; eligible: number; complete: number }>(
      `select count(*)::int as total, count(*) filter (where eligible)::int as eligible, count(*) filter (where eligible and prefill_complete)::int as complete from cs_candidate where run_id = $1`,
      [full.runId],
    )
  )[0]!;
  log(
    `full: ${full.seconds} s wall (CPU: node ${full.cpu.nodeCpuSeconds} s, PostgreSQL ${full.cpu.postgresCpuSeconds} s; load ${full.cpu.loadAverage1m.join(' → ')}) for ${counts.total} children (${counts.eligible} eligible, ${counts.complete} pre-filled complete)`,
  );
  const incremental = await screenOnce('incremental');
  log(
    `incremental (nothing changed): ${incremental.seconds} s wall (CPU: node ${incremental.cpu.nodeCpuSeconds} s, PostgreSQL ${incremental.cpu.postgresCpuSeconds} s)`,
  );

  // 2. Planted inconsistencies vs screening.
  const detection: Record<string, { planted: number; flagged: number; hit: number; precision: number; recall: number }> = {};
  for (const [kind, cond] of Object.entries(DETECTORS)) {
    const d = (
      await db.query<{ planted: number; flagged: number; hit: number }>(
        `with truth as (select object_id::bigint as id from world_truth where stage = 'family-planning.births' and kind = $1),
            flagged as (select k.child_person_id as id from cs_candidate k join cs_child c on c.person_id = k.child_person_id where k.run_id = $2 and ${cond})
       select (select count(*)::int from truth) as planted, (select count(*)::int from flagged) as flagged,
              (select count(*)::int from truth join flagged using (id)) as hit`,
        [kind, full.runId],
      )
    )[0]!;
    detection[kind] = {
      ...d,
      precision: d.flagged ? Math.round((d.hit / d.flagged) * 10_000) / 10_000 : 0,
      recall: d.planted ? Math.round((d.hit / d.planted) * 10_000) / 10_000 : 0,
    };
  }
  const all = Object.values(detection).reduce((a, d) => ({ planted: a.planted + d.planted, flagged: a.flagged + d.flagged, hit: a.hit + d.hit }), {
    planted: 0,
    flagged: 0,
    hit: 0,
  });
  const overall = { ...all, precision: Math.round((all.hit / all.flagged) * 10_000) / 10_000, recall: Math.round((all.hit / all.planted) * 10_000) / 10_000 };
  log(`planted inconsistencies: precision ${overall.precision}, recall ${overall.recall}`);

  // 3. The flow for a sample, through both simulators, with faults on the national side.
  const secret = 'bench-subsidy-secret';
  const clients = { [DEFAULT_CLIENT_ID]: { secret, sm2PublicKey: kernel.keys.sm2PublicKey } };
  const sms = await startSimulator(smsGatewaySimulator, { clients });
  const national = await startSimulator(nationalSubsidySimulator, { clients, seed: 7, replyFlushMs: 100 });
  kernel.adapters.use(smsGatewayAdapter({ baseUrl: sms.url, secret, concurrency: 32 }));
  // HMAC-SM3 here (the fault-injection test signs with SM2): simulator and platform share this process
  // and its CPU, and the run is about delivery, not signing cost.
  kernel.adapters.use(
    nationalAdapter({
      baseUrl: national.url,
      secret,
      auth: 'hmac-sm3',
      timeoutMs: 10_000,
      concurrency: 32,
      retry: { maxAttempts: 60, baseDelayMs: 100, maxDelayMs: 1_000 },
      circuit: { failureThreshold: 10, openMs: 500 },
    }),
  );
  const app = await buildServer(kernel);
  await app.ready();
  let t0 = Date.now();
  const sent = await db.transaction((tx) => sendConfirmations(tx, kernel.keys, new AuditBuffer(), 'bench', { limit: FLOW }));
  const smsDelivery = await dispatchPending(kernel, { systems: [SMS_SYSTEM], budgetMs: 120_000 });
  const smsSeconds = secs(t0);
  const mac = (m: string, d: string) => kernel.keys.blindIndex(m, d);
  const tokens = sms.received.map((m) => /\/m\/subsidy\/confirm\/(\S+)/.exec((m.body as { text: string }).text)?.[1] ?? '').filter((x) => parseLink(mac, x).ok);
  t0 = Date.now();
  let approved = 0;
  for (const token of tokens) {
    const r = await app.inject({
      method: 'POST',
      url: `/api/v1/public/subsidy/confirm/${token}`,
      payload: { confirm: true, bankAccount: '6222021234567890123' },
    });
    if (r.statusCode !== 200) throw new Error(`confirm: ${r.statusCode} ${r.body}`);
    if (r.json().status === 'approved') approved++;
  }
  const confirmSeconds = secs(t0);
  log(
    `flow: ${sent.sent} SMS (${smsDelivery.delivered} delivered in ${smsSeconds} s), ${tokens.length} confirmed (${approved} auto-approved) in ${confirmSeconds} s`,
  );
  const sync = () => runSync({ kernel, transaction: (fn) => db.transaction((tx) => fn(tx, new AuditBuffer())) });
  const faults = { ...DEFAULT_FAULTS, downForMs: 3_000, loseAck: 20, timeoutMs: 900_000 };
  const fault = await runFaultScenario(kernel, national, sync, faults);
  log(`fault injection: ${JSON.stringify(fault)}`);

  t0 = Date.now();
  const funnel = await db.transaction(async (tx) => funnelTotals(await funnelRows(tx, '2020-01-01', '2100-01-01')));
  const funnelSeconds = secs(t0);
  await app.close();
  await sms.stop();
  await national.stop();
  await db.close();

  const met = {
    // Wall clock on this machine, or — when other work shares its 2 cores — the CPU time the run used
    // (node + PostgreSQL, as if one after the other: the conservative idle-machine estimate).
    screening: counts.total >= 180_000 && (full.seconds <= 30 || full.idleEstimateSeconds.max <= 30),
    screeningWallClock: counts.total >= 180_000 && full.seconds <= 30,
    precision: overall.precision >= 0.95 && Object.values(detection).every((d) => d.precision >= 0.95),
    recall: overall.recall >= 0.95 && Object.values(detection).every((d) => d.recall >= 0.95),
    exactlyOnce: fault.exactlyOnce && fault.statusMismatches === 0,
  };
  const result = {
    name: 'subsidy',
    date: new Date().toISOString(),
    machine: { cores: cpus().length, node: process.version },
    database: { kind: 'postgres', url: DB_URL.replace(/:[^:@/]+@/, ':***@') },
    world: { children: world.children, residents: RESIDENTS, generatedSeconds: world.seconds },
    targets: { screeningSeconds: 30, children: 180_000, precision: 0.95, recall: 0.95, exactlyOnce: true },
    met,
    screening: { full: { ...full, ...counts }, incremental },
    detection: { byKind: detection, overall },
    flow: { smsSent: sent.sent, smsDelivered: smsDelivery.delivered, smsSeconds, confirmed: tokens.length, autoApproved: approved, confirmSeconds },
    faultInjection: { faults, ...fault },
    funnel: { seconds: funnelSeconds, stages: funnel },
  };
  const file = `bench/results/${result.date.slice(0, 10)}-subsidy`;
  writeFileSync(`${file}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const yes = (b: boolean) => (b ? 'met' : '**not met**');
  const md = [
    `# Childcare-subsidy benchmark — ${result.date}`,
    '',
    `PostgreSQL 15 (local), ${result.machine.cores} cores, Node ${result.machine.node}. World: ${world.children.toLocaleString()} children (births of 4 years) among ${RESIDENTS.toLocaleString()} residents.`,
    '',
    '## Screening (screen + pre-fill, end to end as the screening job)',
    '',
    '| run | children | eligible | pre-filled complete | wall s | CPU s node | CPU s PostgreSQL | idle-machine estimate s | load avg (1 min) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...[['full', full], ['incremental (no change)', incremental] as const].map(([name, r]) => {
      const x = r as typeof full;
      return `| ${name} | ${counts.total.toLocaleString()}${name === 'full' ? '' : ` (judged ${x.judged}, carried ${x.carried})`} | ${name === 'full' ? counts.eligible.toLocaleString() : ''} | ${name === 'full' ? counts.complete.toLocaleString() : ''} | ${x.seconds} | ${x.cpu.nodeCpuSeconds} | ${x.cpu.postgresCpuSeconds} | ${x.idleEstimateSeconds.min}–${x.idleEstimateSeconds.max} | ${x.cpu.loadAverage1m.join(' → ')} |`;
    }),
    '',
    'The machine has 2 cores and was shared with other work during the run (load average above). The idle-machine estimate is the CPU time the run used: at least the busier of node and PostgreSQL (or half their sum), at most both one after the other.',
    '',
    `Target ≤ 30 s for ≥ 180,000 children: wall clock ${yes(met.screeningWallClock)}; CPU time (idle-machine estimate, upper bound ${full.idleEstimateSeconds.max} s) ${yes(met.screening)}.`,
    '',
    '## Planted inconsistencies (world ground truth) vs screening',
    '',
    '| kind | planted | flagged | caught | precision | recall |',
    '|---|---|---|---|---|---|',
    ...Object.entries(detection).map(([k, d]) => `| ${k} | ${d.planted} | ${d.flagged} | ${d.hit} | ${d.precision} | ${d.recall} |`),
    `| **all** | ${overall.planted} | ${overall.flagged} | ${overall.hit} | ${overall.precision} | ${overall.recall} |`,
    '',
    `Target precision and recall ≥ 95%: precision ${yes(met.precision)}, recall ${yes(met.recall)}.`,
    '',
    '## Flow and fault injection (national system simulator)',
    '',
    `${sent.sent} confirmation SMS (delivered ${smsDelivery.delivered} in ${smsSeconds} s through the gateway simulator); ${tokens.length} parents confirmed on the public API (${approved} auto-approved) in ${confirmSeconds} s.`,
    '',
    `Faults: national system down (connection refused) for ${faults.downForMs} ms after the first round, ${faults.loseAck} acknowledgements lost after storing, ${faults.errorRate * 100}% random 5xx, ${faults.duplicateReplies * 100}% of replies published twice, replies shuffled in groups of ${faults.outOfOrderReplies}.`,
    '',
    '| approved | held by the national side | held twice | missing there | redeliveries absorbed | replies published (duplicates) | final status mismatches | dead letters | seconds |',
    '|---|---|---|---|---|---|---|---|---|',
    `| ${fault.approved} | ${fault.heldThere} | ${fault.heldTwice} | ${fault.missingThere} | ${fault.duplicateDeliveries} | ${fault.repliesPublished} (${fault.duplicateRepliesPublished}) | ${fault.statusMismatches} | ${fault.deadMessages} | ${fault.seconds} |`,
    '',
    `Every confirmed application delivered exactly once on the receiving side: ${yes(met.exactlyOnce)}.`,
    '',
    `## Monitoring funnel over the whole world (${funnelSeconds} s)`,
    '',
    '| stage | ok | exceptions | in progress | success rate | conversion |',
    '|---|---|---|---|---|---|',
    ...funnel.map((s) => `| ${s.title} | ${s.ok} | ${s.failed} | ${s.pending} | ${s.successRate ?? '–'} | ${s.conversion ?? '–'} |`),
  ].join('\n');
  writeFileSync(`${file}.md`, `${md}\n`);
  log(`results: ${file}.json and .md`);
  process.stdout.write(`\n${md}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runSubsidyBench();
  process.exit(0);
}
