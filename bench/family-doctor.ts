// `npm run bench -- --family-doctor` (or BENCH_SUITE=family-doctor): family-doctor contracting at 1,000,000
// residents on PostgreSQL.
//   1. whole-city daily report generation (the supervision snapshot job, as the job runs it) and, for
//      reference, the whole-city key-population tag refresh and the city-level supervision reports;
//   2. load: BENCH_USERS (200) district admins against the product, mixing the 签约管理 list filtered by
//      key-population tag + status + district (paginated, with its colour header counts) and the contract
//      lookup by ID number; p99 ≤ 300 ms is the target for both.
// Own database BENCH_FD_DATABASE_URL (default weijian_bench_fd), created as a copy of the load bench's
// 1M-resident world (weijian_bench, same key ring) when missing; the family-doctor, key-population and
// supervision world stages are then run on it once and reused. Results: bench/results/<date>-family-doctor.{json,md}.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { hash } from '@node-rs/argon2';
import pg from 'pg';
import { loadConfig } from '../server/src/platform/config.ts';
import { startKernel } from '../server/src/platform/kernel.ts';
import { CITY_SCOPE, scopeSettings } from '../server/src/platform/scope/scope.ts';
import { createWorldContext } from '../server/src/platform/world/context.ts';
import { allModules } from '../server/src/modules.ts';
import { generateSnapshot } from '../server/src/systems/health-network/fd-supervision/snapshot.ts';
import { fdSupervisionWorld } from '../server/src/systems/health-network/fd-supervision/world.ts';
import { familyDoctorWorld } from '../server/src/systems/health-network/family-doctor/world.ts';
import { refreshTags } from '../server/src/systems/health-network/key-populations/service.ts';
import { TAGS } from '../server/src/systems/health-network/key-populations/rules.ts';
import { keyPopulationsWorld } from '../server/src/systems/health-network/key-populations/world.ts';
import { sleep, timed, type VirtualUser } from './load.ts';
import { Recorder, round } from './stats.ts';
import { productTarget } from './targets.ts';
import { base32Encode } from './totp.ts';
import { ensureBenchDatabase, freePort } from './postgres.ts';

const env = process.env;
const DB_URL = env.BENCH_FD_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/weijian_bench_fd';
const SOURCE_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/weijian_bench';
const DATA_DIR = env.BENCH_DATA_DIR ?? 'tmp/bench-data';
const USERS = Number(env.BENCH_USERS ?? 200);
const SECONDS = Number(env.BENCH_SECONDS ?? 60);
const THINK_MS = Number(env.BENCH_THINK_MS ?? 1000);
const PASSWORD = 'Bench#2026load';
const NAME = env.BENCH_NAME ?? 'family-doctor';
const SKIP_REFRESH = env.BENCH_FD_SKIP_REFRESH === '1';
const LIST = 'sign list: tag + status + district (paged)';
const LOOKUP = 'contract lookup by ID number';
const log = (m: string) => process.stdout.write(`[bench:family-doctor] ${m}\n`);
const secs = (t: number) => Math.round((Date.now() - t) / 10) / 100;

async function waitFor(url: string, seconds = 180): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await sleep(250);
  }
  throw new Error(`${url} did not come up`);
}

function peakRssMb(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

interface Sample {
  idNumber: string;
  district: string;
}

export async function runFamilyDoctorBench(): Promise<void> {
  mkdirSync('bench/results', { recursive: true });
  if (!existsSync(`${DATA_DIR}/keys.json`)) throw new Error(`${DATA_DIR}/keys.json missing: run \`npm run bench\` once to create the 1M world`);
  // A copy of the 1M-resident world (and its key ring) made once; the source must be idle.
  await ensureBenchDatabase(DB_URL, { template: new URL(SOURCE_URL).pathname.slice(1), log });
  const config = {
    ...loadConfig({ ...env, DATABASE_URL: DB_URL, WEIJIAN_DATA_DIR: DATA_DIR, NODE_ENV: 'development', LOG_LEVEL: 'warn' }),
    demo: false,
    jobs: false,
  };
  const kernel = await startKernel(config, allModules);
  const db = kernel.db;
  const keys = kernel.keys;
  const { n: residents } = (await db.query<{ n: number }>('select count(*)::int as n from person'))[0]!;
  const asOf = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const prep: Record<string, number> = {};

  // 1. The contracting world (once per database).
  const { n: contracts } = (await db.query<{ n: number }>('select count(*)::int as n from fd_contract'))[0]!;
  if (contracts === 0) {
    log(`running the family-doctor, key-population and supervision world stages on ${residents} residents …`);
    let last = 0;
    const ctx = createWorldContext(db, keys, {
      seed: 1,
      residents,
      asOf,
      onProgress: (label, done, total) => {
        if (Date.now() - last > 15_000 || done === total) {
          last = Date.now();
          log(`  ${label} ${done}/${total}`);
        }
      },
    });
    for (const stage of [familyDoctorWorld, keyPopulationsWorld, fdSupervisionWorld]) {
      const t = Date.now();
      await stage.run(ctx);
      await ctx.flush();
      prep[`stage ${stage.name} s`] = secs(t);
      log(`  stage ${stage.name}: ${prep[`stage ${stage.name} s`]} s`);
    }
    for (const t of ['fd_contract', 'fd_contract_event', 'fd_visit', 'kp_condition', 'kp_tag', 'fs_hospital_visit', 'fs_daily_snapshot', 'person'])
      await db.exec(`analyze ${t}`);
  } else log(`reusing the contracting world (${contracts} contracts)`);
  // Index-only scans need the visibility map: vacuum the tables the list reads (cheap when nothing changed).
  for (const t of ['fd_contract', 'kp_tag']) await db.exec(`vacuum analyze ${t}`);
  const counts = Object.fromEntries(
    await Promise.all(
      ['fd_contract', 'fd_contract_event', 'fd_visit', 'kp_condition', 'kp_tag', 'fs_hospital_visit'].map(async (t) => [
        t,
        (await db.query<{ n: number }>(`select count(*)::int as n from ${t}`))[0]!.n,
      ]),
    ),
  );
  const tagCounts = Object.fromEntries(
    (await db.query<{ tag: string; n: number }>('select tag, count(*)::int as n from kp_tag group by 1 order by 1')).map((r) => [r.tag, r.n]),
  );
  log(`data: ${JSON.stringify(counts)}`);

  // 2. Whole-city daily report generation, as the job does it (system principal, city scope, RLS applied).
  const city = scopeSettings(CITY_SCOPE, null);
  const batch: Record<string, number> = {};
  for (let i = 1; i <= 2; i++) {
    const t = Date.now();
    const rows = await db.transaction((tx) => generateSnapshot(tx, asOf), { scope: city });
    batch[`daily report generation run ${i} s`] = secs(t);
    batch['daily report rows'] = rows;
  }
  if (!SKIP_REFRESH) {
    const t = Date.now();
    const refresh = await db.transaction((tx) => refreshTags(tx, { today: asOf, sync: false }), { scope: city });
    batch['whole-city tag refresh s'] = secs(t);
    batch['tag refresh changes'] = refresh.added + refresh.removed;
  }
  log(`batch: ${JSON.stringify(batch)}`);

  // 3. Users and samples.
  const c = new pg.Client({ connectionString: DB_URL });
  await c.connect();
  const pwHash = await hash(PASSWORD);
  const districts = (await c.query("select code from region where level = 'district' order by code")).rows.map((r) => r.code as string);
  const samplesBy = new Map<string, Sample[]>();
  for (const d of districts) {
    const rows = (
      await c.query(
        `select p.id_number_enc from fd_contract f join person p on p.id = f.person_id
          where f.district_code = $1 and f.status = 'active' and p.id_type = 'resident_id' order by f.id limit 300`,
        [d],
      )
    ).rows;
    samplesBy.set(
      d,
      rows.map((r) => ({ idNumber: keys.decryptField(r.id_number_enc), district: d })),
    );
  }
  const vus: (VirtualUser & { fdSamples: Sample[] })[] = [];
  for (let i = 0; i < USERS; i++) {
    const district = districts[i % districts.length];
    const username = `bench_fd${String(i).padStart(3, '0')}`;
    const secret = base32Encode(Buffer.from(`bench-fd-totp-${i}-0123456789`).subarray(0, 20));
    await c.query(
      `insert into app_user (username, display_name, role, scope_level, scope_district, password_hash, totp_secret, totp_enabled)
       values ($1, $2, 'district_admin', 'district', $3, $4, $5, true)
       on conflict (username) do update set password_hash = excluded.password_hash, totp_secret = excluded.totp_secret,
         totp_enabled = true, totp_last_step = null, failed_logins = 0, locked_until = null, disabled = false, scope_district = excluded.scope_district`,
      [username, `家医基准用户${i}`, district, pwHash, keys.encryptField(secret)],
    );
    const fdSamples = samplesBy.get(district!) ?? [];
    if (fdSamples.length) vus.push({ index: i, username, password: PASSWORD, totpSecret: secret, district: district!, samples: [], fdSamples });
  }
  // A city admin for the city-level report timings.
  const citySecret = base32Encode(Buffer.from('bench-fd-city-0123456789').subarray(0, 20));
  await c.query(
    `insert into app_user (username, display_name, role, scope_level, password_hash, totp_secret, totp_enabled)
     values ('bench_fd_city', '家医基准市级用户', 'city_admin', 'city', $1, $2, true)
     on conflict (username) do update set password_hash = excluded.password_hash, totp_secret = excluded.totp_secret, totp_enabled = true, totp_last_step = null, failed_logins = 0, locked_until = null`,
    [pwHash, keys.encryptField(citySecret)],
  );
  await c.end();
  await db.close();

  // 4. The product under load.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const prod: ChildProcess = spawn(
    process.execPath,
    [...(env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'server/src/main.ts'],
    {
      stdio: ['ignore', env.BENCH_VERBOSE ? 'inherit' : 'ignore', env.BENCH_VERBOSE ? 'inherit' : 'ignore'],
      env: {
        ...env,
        PORT: String(port),
        DATABASE_URL: DB_URL,
        WEIJIAN_DATA_DIR: DATA_DIR,
        WEIJIAN_DEMO: 'false',
        WEIJIAN_JOBS: 'false',
        LOG_LEVEL: 'warn',
        WEIJIAN_LOGIN_RATE: '100000',
        NODE_ENV: 'development',
      },
    },
  );
  try {
    await waitFor(`${base}/readyz`);
    const target = productTarget(base);
    const rec = new Recorder();
    const reports: Record<string, number> = {};
    const alone: Record<string, number> = {};
    const cityVu: VirtualUser = { index: 999, username: 'bench_fd_city', password: PASSWORD, totpSecret: citySecret, district: '', samples: [] };
    await target.start(cityVu, rec);
    for (const [label, url] of [
      ['city daily report', `/api/v1/fd-supervision/daily?date=${asOf}`],
      ['city renewal statistics', '/api/v1/fd-supervision/renewals'],
      ['city key-population renewal', '/api/v1/fd-supervision/key-population-renewal'],
      ['city visit rates', '/api/v1/fd-supervision/visit-rates'],
      ['city daily report Excel', `/api/v1/fd-supervision/daily?date=${asOf}&format=xlsx`],
    ]) {
      const t0 = Date.now();
      const r = await fetch(base + url, { headers: { authorization: `Bearer ${cityVu.token}` } });
      await r.arrayBuffer();
      if (!r.ok) throw new Error(`${label}: ${r.status}`);
      reports[`${label} s`] = secs(t0);
    }
    log(`city reports: ${JSON.stringify(reports)}`);

    // Service time of one request alone (one user, sequential), to tell the query from the queueing under load.
    const probe = vus[0]!;
    await target.start(probe, rec);
    const ph = { headers: { authorization: `Bearer ${probe.token}` } };
    const median = async (url: string) => {
      const ms: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t0 = performance.now();
        await (await fetch(base + url, ph)).arrayBuffer();
        ms.push(performance.now() - t0);
      }
      return round(ms.sort((x, y) => x - y)[7]!);
    };
    alone['list, tag elderly, 20 rows'] = await median(`/api/v1/family-doctor/contracts?tag=elderly&status=active&district=${probe.district}&pageSize=20`);
    // The header counts are cached per district generation: the same page right after a change in its district.
    const bump = new pg.Client({ connectionString: DB_URL });
    await bump.connect();
    const missMs: number[] = [];
    for (let i = 0; i < 7; i++) {
      await bump.query(
        `update fd_contract set district_code = district_code where id = (select id from fd_contract where district_code = $1 and status = 'active' limit 1)`,
        [probe.district],
      );
      const t0 = performance.now();
      await (await fetch(`${base}/api/v1/family-doctor/contracts?tag=elderly&status=active&district=${probe.district}&pageSize=20`, ph)).arrayBuffer();
      missMs.push(performance.now() - t0);
    }
    await bump.end();
    alone['list, tag elderly, 20 rows, right after a change in the district (counts not cached)'] = round(missMs.sort((x, y) => x - y)[3]!);
    alone['list, tag elderly, 1 row'] = await median(`/api/v1/family-doctor/contracts?tag=elderly&status=active&district=${probe.district}&pageSize=1`);
    alone['list, tag change_rights, 20 rows'] = await median(
      `/api/v1/family-doctor/contracts?tag=change_rights&status=active&district=${probe.district}&pageSize=20`,
    );
    alone['list, no tag, 20 rows'] = await median(`/api/v1/family-doctor/contracts?status=active&district=${probe.district}&pageSize=20`);
    alone['lookup by ID number'] = await median(`/api/v1/family-doctor/contracts?idNumber=${probe.fdSamples[0]!.idNumber}`);
    alone['screen: menu'] = await median('/api/v1/system/menu');
    log(`alone (median of 15, ms): ${JSON.stringify(alone)}`);

    log(`load: ${vus.length} users × ${SECONDS} s (think ${THINK_MS} ms ± 50%)`);
    await Promise.all(
      vus.map(async (vu) => {
        if (vu.token) return; // the probe user is signed in already (a TOTP code is accepted once)
        await sleep(Math.random() * 2000);
        await target.start(vu, rec);
      }),
    );
    const loadBefore = loadavg()[0]!;
    let peak = 0;
    const timer = setInterval(() => {
      peak = Math.max(peak, peakRssMb(prod.pid));
    }, 1000);
    const end = Date.now() + SECONDS * 1000;
    let seed = 4242;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    await Promise.all(
      vus.map(async (vu) => {
        await sleep(rnd() * THINK_MS);
        const h = { headers: { authorization: `Bearer ${vu.token}` } };
        while (Date.now() < end) {
          if (rnd() < 0.5) {
            const tag = TAGS[Math.floor(rnd() * TAGS.length)];
            const page = 1 + Math.floor(rnd() * 5);
            await timed(rec, LIST, () =>
              fetch(`${base}/api/v1/family-doctor/contracts?tag=${tag}&status=active&district=${vu.district}&page=${page}&pageSize=20`, h),
            );
          } else {
            const s = vu.fdSamples[Math.floor(rnd() * vu.fdSamples.length)]!;
            await timed(rec, LOOKUP, () => fetch(`${base}/api/v1/family-doctor/contracts?idNumber=${s.idNumber}`, h));
          }
          await sleep(THINK_MS * (0.5 + rnd()));
        }
      }),
    );
    clearInterval(timer);
    const load = { ...rec.summary(SECONDS), peakRssMb: Math.max(peak, peakRssMb(prod.pid)), p99By10s: rec.p99ByWindow(end - SECONDS * 1000, 10) };
    const p99 = (k: string) => load.types[k]?.p99 ?? Number.POSITIVE_INFINITY;
    const dailyWorst = Math.max(batch['daily report generation run 1 s']!, batch['daily report generation run 2 s']!);
    const result = {
      name: NAME,
      date: new Date().toISOString(),
      machine: { cores: cpus().length, node: process.version, loadAverage1mBefore: round(loadBefore), loadAverage1mAfter: round(loadavg()[0]!) },
      config: { residents, users: vus.length, seconds: SECONDS, thinkMs: THINK_MS, database: 'postgres', asOf },
      data: { ...counts, tags: tagCounts },
      preparation: prep,
      batch,
      cityReports: reports,
      aloneMedianMs: alone,
      targets: { p99Ms: 300, dailyReportSeconds: 60 },
      met: { listP99: p99(LIST) <= 300, lookupP99: p99(LOOKUP) <= 300, dailyReport: dailyWorst <= 60, errors: load.errors === 0 },
      load,
    };
    const stamp = new Date().toISOString().slice(0, 10);
    const file = `bench/results/${stamp}-${NAME}`;
    writeFileSync(`${file}.json`, `${JSON.stringify(result, null, 2)}\n`);
    const row = (k: string) => {
      const s = load.types[k];
      return `| ${k} | ${s?.count ?? 0} | ${s?.errors ?? 0} | ${s?.p50 ?? '–'} | ${s?.p95 ?? '–'} | ${s?.p99 ?? '–'} | ${s?.max ?? '–'} |`;
    };
    const md = [
      `# Family-doctor benchmark — ${result.date}`,
      '',
      `${residents.toLocaleString()} residents on PostgreSQL 15 · ${counts.fd_contract.toLocaleString()} contracts · ${counts.kp_tag.toLocaleString()} key-population tags · ${vus.length} concurrent district admins · ${SECONDS} s · think time ${THINK_MS} ms ±50% · ${result.machine.cores} cores shared with other work (1-min load average ${result.machine.loadAverage1mBefore} before the load phase, ${result.machine.loadAverage1mAfter} after)`,
      '',
      '| request type | count | errors | p50 ms | p95 ms | p99 ms | max ms |',
      '|---|---|---|---|---|---|---|',
      row(LIST),
      row(LOOKUP),
      '',
      `Throughput ${load.perSecond} req/s; server peak RSS ${load.peakRssMb} MB.`,
      '',
      `p99 of both request types by 10-second window of the run (requests): ${load.p99By10s.map((w) => `${w.startS}–${w.startS + 10} s ${w.p99} ms (${w.count})`).join(' · ')}.`,
      '',
      `One request alone (one user, sequential, median of 15 — of 7 for the uncached counts —, ms): ${Object.entries(alone)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · ')}.`,
      '',
      '| batch | seconds |',
      '|---|---|',
      `| whole-city daily report generation (snapshot job, ${batch['daily report rows']} rows), run 1 | ${batch['daily report generation run 1 s']} |`,
      `| whole-city daily report generation, run 2 | ${batch['daily report generation run 2 s']} |`,
      `| whole-city key-population tag refresh (11 rules) | ${batch['whole-city tag refresh s'] ?? 'not run (BENCH_FD_SKIP_REFRESH)'} |`,
      ...Object.entries(reports).map(([k, v]) => `| ${k.replace(/ s$/, '')} (HTTP, city admin) | ${v} |`),
      ...Object.entries(prep).map(([k, v]) => `| world ${k.replace(/ s$/, '')} (one-off preparation) | ${v} |`),
      '',
      `Targets: list p99 ≤ 300 ms — ${result.met.listP99 ? 'met' : `**not met** (${p99(LIST)} ms)`}; lookup p99 ≤ 300 ms — ${result.met.lookupP99 ? 'met' : `**not met** (${p99(LOOKUP)} ms)`}; daily report ≤ 60 s — ${result.met.dailyReport ? 'met' : `**not met** (${dailyWorst} s)`}; errors — ${load.errors}.`,
      load.errorExamples.length ? `\nError examples:\n${load.errorExamples.map((e) => `- ${e}`).join('\n')}` : '',
    ].join('\n');
    writeFileSync(`${file}.md`, `${md}\n`);
    log(`results: ${file}.json and .md`);
    process.stdout.write(`\n${md}\n`);
  } finally {
    prod.kill('SIGTERM');
  }
}
