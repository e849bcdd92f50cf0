// `npm run bench`: the load benchmark. Reuses (or generates) a world of BENCH_RESIDENTS residents in a
// PostgreSQL server, runs the baseline and then the product under BENCH_USERS concurrent users for
// BENCH_SECONDS each, and writes bench/results/<date>-<name>.json and .md.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hash } from '@node-rs/argon2';
import pg from 'pg';
import { loadKeyRing } from '../server/src/platform/crypto/keyring.ts';
import { drive, MIX, type Sample, type Target, type VirtualUser, sleep } from './load.ts';
import { Recorder, round } from './stats.ts';
import { baselineTarget, productTarget } from './targets.ts';
import { base32Encode } from './totp.ts';
import { ensureBenchDatabase, freePort } from './postgres.ts';

const env = process.env;
const DB_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/weijian_bench';
const RESIDENTS = Number(env.BENCH_RESIDENTS ?? 1_000_000);
const USERS = Number(env.BENCH_USERS ?? 200);
const SECONDS = Number(env.BENCH_SECONDS ?? 60);
const THINK_MS = Number(env.BENCH_THINK_MS ?? 1000);
const NAME = env.BENCH_NAME ?? `load-${USERS}u`;
const DATA_DIR = env.BENCH_DATA_DIR ?? 'tmp/bench-data';
const PASSWORD = 'Bench#2026load';
const log = (m: string) => process.stdout.write(`[bench] ${m}\n`);

async function residentsInWorld(): Promise<number> {
  const c = new pg.Client({ connectionString: DB_URL });
  await c.connect();
  try {
    const r = await c.query("select to_regclass('person') is not null as ok");
    if (!r.rows[0].ok) return 0;
    return (await c.query('select count(*)::int as n from person')).rows[0].n;
  } finally {
    await c.end();
  }
}

function generateWorld(): number {
  log(`generating a world of ${RESIDENTS} residents (weijian world generate) …`);
  const t = Date.now();
  const r = spawnSync(
    process.execPath,
    ['bin/weijian.js', 'world', 'generate', '--seed', '1', '--residents', String(RESIDENTS), '--database-url', DB_URL, '--force'],
    {
      stdio: 'inherit',
      env: { ...env, WEIJIAN_DATA_DIR: DATA_DIR, DATABASE_URL: DB_URL },
    },
  );
  if (r.status !== 0) throw new Error('world generation failed');
  return (Date.now() - t) / 1000;
}

/** One staff account per virtual user (district admins spread over the 16 districts) and their samples. */
async function prepareUsers(): Promise<VirtualUser[]> {
  const keys = loadKeyRing({ file: `${DATA_DIR}/keys.json`, allowGenerate: false });
  const c = new pg.Client({ connectionString: DB_URL });
  await c.connect();
  const pwHash = await hash(PASSWORD);
  const districts = (await c.query("select code from region where level = 'district' order by code")).rows.map((r) => r.code as string);
  const samplesBy = new Map<string, Sample[]>();
  for (const d of districts) {
    const rows = (
      await c.query(
        "select id, id_number_enc, name, residence_district from person where residence_district = $1 and status = 'alive' and id_type = 'resident_id' order by id limit 400",
        [d],
      )
    ).rows;
    samplesBy.set(
      d,
      rows.map((r) => ({ id: Number(r.id), idNumber: keys.decryptField(r.id_number_enc), name: r.name, district: r.residence_district })),
    );
  }
  const vus: VirtualUser[] = [];
  for (let i = 0; i < USERS; i++) {
    const district = districts[i % districts.length];
    const username = `bench_u${String(i).padStart(3, '0')}`;
    const secret = base32Encode(Buffer.from(`bench-totp-${i}-0123456789`).subarray(0, 20));
    await c.query(
      `insert into app_user (username, display_name, role, scope_level, scope_district, password_hash, totp_secret, totp_enabled)
       values ($1, $2, 'district_admin', 'district', $3, $4, $5, true)
       on conflict (username) do update set password_hash = excluded.password_hash, totp_secret = excluded.totp_secret,
         totp_enabled = true, totp_last_step = null, failed_logins = 0, locked_until = null, disabled = false, scope_district = excluded.scope_district`,
      [username, `基准用户${i}`, district, pwHash, keys.encryptField(secret)],
    );
    vus.push({ index: i, username, password: PASSWORD, totpSecret: secret, district: district!, samples: samplesBy.get(district!) ?? [] });
  }
  await c.end();
  return vus.filter((v) => v.samples.length > 0);
}

function startProcess(label: string, args: string[], extraEnv: Record<string, string>): ChildProcess {
  const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, ...extraEnv } });
  p.stderr?.on('data', (d) => {
    if (env.BENCH_VERBOSE) process.stderr.write(`[${label}] ${d}`);
  });
  p.stdout?.on('data', (d) => {
    if (env.BENCH_VERBOSE) process.stdout.write(`[${label}] ${d}`);
  });
  return p;
}

async function waitFor(url: string, seconds = 120): Promise<void> {
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
  if (!pid) return 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

async function phase(target: Target, vus: VirtualUser[], proc: ChildProcess) {
  const rec = new Recorder();
  log(`${target.name}: ${vus.length} users × ${SECONDS} s (think time ${THINK_MS} ms ± 50%)`);
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, peakRssMb(proc.pid));
  }, 1000);
  await drive(target, vus, rec, SECONDS, THINK_MS);
  clearInterval(timer);
  peak = Math.max(peak, peakRssMb(proc.pid));
  return { ...rec.summary(SECONDS), peakRssMb: peak };
}

async function main() {
  mkdirSync('bench/results', { recursive: true });
  await ensureBenchDatabase(DB_URL, { log });
  let worldSeconds: number | null = null;
  const have = await residentsInWorld();
  if (have < RESIDENTS || !existsSync(`${DATA_DIR}/keys.json`)) worldSeconds = generateWorld();
  else log(`reusing the world in ${DB_URL.replace(/:[^:@/]+@/, ':***@')} (${have} residents)`);
  // Bring the schema up to date first, so baseline and product run against the same tables.
  spawnSync(process.execPath, ['bin/weijian.js', 'migrate'], { stdio: 'inherit', env: { ...env, WEIJIAN_DATA_DIR: DATA_DIR, DATABASE_URL: DB_URL } });
  const vus = await prepareUsers();

  const basePort = await freePort();
  const base = startProcess('baseline', ['--import', 'tsx', 'bench/baseline-server.ts'], {
    PORT: String(basePort),
    DATABASE_URL: DB_URL,
    WEIJIAN_DATA_DIR: DATA_DIR,
  });
  await waitFor(`http://127.0.0.1:${basePort}/menu`);
  const baseline = await phase(baselineTarget(`http://127.0.0.1:${basePort}`), vus, base);
  base.kill('SIGTERM');

  const port = await freePort();
  const prod = startProcess('weijian', ['--import', 'tsx', 'server/src/main.ts'], {
    PORT: String(port),
    DATABASE_URL: DB_URL,
    WEIJIAN_DATA_DIR: DATA_DIR,
    WEIJIAN_DEMO: 'false',
    LOG_LEVEL: 'warn',
    WEIJIAN_LOGIN_RATE: '100000',
    NODE_ENV: 'development',
  });
  await waitFor(`http://127.0.0.1:${port}/readyz`);
  const product = await phase(productTarget(`http://127.0.0.1:${port}`), vus, prod);
  prod.kill('SIGTERM');

  const rows = MIX.map(([type]) => {
    const p = product.types[type];
    const b = baseline.types[type];
    return {
      type,
      product: p,
      baseline: b,
      overheadP50: p && b && b.p50 > 0 ? round(p.p50 / b.p50) : null,
      overheadMean: p && b && b.mean > 0 ? round(p.mean / b.mean) : null,
    };
  });
  const worst99 = Math.max(...rows.map((r) => r.product?.p99 ?? 0));
  const result = {
    name: NAME,
    date: new Date().toISOString(),
    machine: { cores: (await import('node:os')).cpus().length, node: process.version },
    config: { residents: await residentsInWorld(), users: vus.length, seconds: SECONDS, thinkMs: THINK_MS, database: 'postgres' },
    worldGenerationSeconds: worldSeconds,
    targets: { p99Ms: 300, errors: 0, overheadRatio: 2 },
    met: {
      p99: worst99 <= 300,
      errors: product.errors === 0,
      overhead: rows.every((r) => r.overheadMean === null || r.overheadMean <= 2),
    },
    product,
    baseline,
    rows,
  };
  const stamp = new Date().toISOString().slice(0, 10);
  const file = `bench/results/${stamp}-${NAME}`;
  writeFileSync(`${file}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    `# Load benchmark ${NAME} — ${result.date}`,
    '',
    `${result.config.residents.toLocaleString()} residents on PostgreSQL · ${vus.length} concurrent users · ${SECONDS} s per phase · think time ${THINK_MS} ms ±50% · ${result.machine.cores} cores`,
    '',
    `Throughput: weijian ${product.perSecond} req/s, baseline ${baseline.perSecond} req/s. Errors: weijian ${product.errors}, baseline ${baseline.errors}. Server peak RSS: weijian ${product.peakRssMb} MB.`,
    '',
    '| request type | count | p50 ms | p95 ms | p99 ms | baseline p50 | baseline p99 | overhead (mean) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.type} | ${r.product?.count ?? 0} | ${r.product?.p50 ?? '–'} | ${r.product?.p95 ?? '–'} | ${r.product?.p99 ?? '–'} | ${r.baseline?.p50 ?? '–'} | ${r.baseline?.p99 ?? '–'} | ${r.overheadMean ?? '–'}× |`,
    ),
    '',
    `Targets: p99 ≤ 300 ms for every type — ${result.met.p99 ? 'met' : `**not met** (worst ${worst99} ms)`}; 0 errors — ${result.met.errors ? 'met' : '**not met**'}; overhead ≤ 2× — ${result.met.overhead ? 'met' : '**not met**'}.`,
    product.errorExamples.length ? `\nError examples:\n${product.errorExamples.map((e) => `- ${e}`).join('\n')}` : '',
  ].join('\n');
  writeFileSync(`${file}.md`, `${md}\n`);
  log(`results: ${file}.json and .md`);
  process.stdout.write(`\n${md}\n`);
  process.exit(0);
}

// `npm run bench -- --family-doctor` (or BENCH_SUITE=family-doctor): family-doctor contracting (bench/family-doctor.ts).
if (process.argv.includes('--family-doctor') || env.BENCH_SUITE === 'family-doctor') {
  await (await import('./family-doctor.ts')).runFamilyDoctorBench();
  process.exit(0);
}
// `npm run bench -- --subsidy` (or BENCH_SUITE=subsidy): the childcare-subsidy pipeline bench instead (bench/subsidy.ts).
if (process.argv.includes('--subsidy') || env.BENCH_SUITE === 'subsidy') {
  await (await import('./subsidy.ts')).runSubsidyBench();
  process.exit(0);
}
// `npm run bench -- --terminology` (or BENCH_SUITE=terminology): issue 16's terminology speed targets (bench/terminology-speed.ts).
if (process.argv.includes('--terminology') || env.BENCH_SUITE === 'terminology') {
  await (await import('./terminology-speed.ts')).runTerminologySpeedBench();
  process.exit(0);
}
// `npm run bench -- --only compliance` (or --compliance, BENCH_SUITE=compliance): issue 5's three compliance figures
// side by side — 50 rules over 10M fee lines on PostgreSQL, evaluator vs json-rules-engine, accuracy (bench/compliance.ts).
const onlyArg = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
if (process.argv.includes('--compliance') || onlyArg === 'compliance' || env.BENCH_SUITE === 'compliance') {
  process.exit((await (await import('./compliance.ts')).complianceBench()) ? 0 : 1);
}
await main();
