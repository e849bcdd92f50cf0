#!/usr/bin/env node
// `npm test`: type check, lint, the unit + integration suite on embedded PGlite, the same suite on a
// real PostgreSQL server when TEST_DATABASE_URL is set (CI sets it), the first-start smoke (no system
// fonts), then the browser tests.
// Ends with one summary line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const filter = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : null;
const bin = (n) => join('node_modules', '.bin', n);
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, cmd, argv, env = {}) {
  process.stdout.write(`\n▶ ${label}\n`);
  const t = Date.now();
  const r = spawnSync(cmd, argv, { stdio: 'inherit', env: { ...process.env, ...env } });
  process.stdout.write(`  ${label}: ${r.status === 0 ? 'ok' : `FAILED (exit ${r.status})`} in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  if (r.status !== 0) failures.push(label);
  return r.status === 0;
}

function findTests(dir, pattern) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...findTests(p, pattern));
    else if (pattern.test(e) && (!filter || p.includes(filter))) out.push(p);
  }
  return out.sort();
}

function countTap(file) {
  if (!existsSync(file)) return;
  const tap = readFileSync(file, 'utf8');
  const n = (k) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  totals.passed += n('pass');
  totals.failed += n('fail') + n('cancelled');
  totals.skipped += n('skipped');
}

function nodeTests(label, files, env, tapName, concurrency = process.env.WEIJIAN_TEST_CONCURRENCY ?? 2) {
  if (files.length === 0) return true;
  mkdirSync('tmp', { recursive: true });
  const tap = `tmp/${tapName}.tap`;
  const ok = run(
    label,
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { NODE_ENV: 'test', ...env },
  );
  countTap(tap);
  return ok;
}

const serverTests = findTests('server/src', /\.test\.ts$/);

// The PostgreSQL pass runs the suites where a server can behave otherwise than embedded PGlite (the same
// PostgreSQL engine, but one in-process connection): row-level security and roles over a pool, concurrent
// claims (SKIP LOCKED, advisory locks, heartbeats), the audit chain under concurrent writers, COPY, the
// rule compiler's SQL and the largest compiled queries, key rotation, backups. Every other suite runs on
// PGlite only, to keep CI near 45 minutes (README, "Requirements", has the measured times). WEIJIAN_PG_SUITES=all runs all of them.
const POSTGRES_SUITES = [
  'server/src/platform/db/',
  'server/src/platform/scope/',
  'server/src/platform/auth/',
  'server/src/platform/audit/',
  'server/src/platform/jobs/',
  'server/src/platform/integration/',
  'server/src/platform/crypto/',
  'server/src/platform/rules/',
  'server/src/platform/cli/',
  'server/src/platform/system/',
  'server/src/platform/world/',
  'server/src/test/',
  'server/src/systems/hospital-monitoring/compliance/',
  'server/src/systems/hospital-monitoring/indicators/',
  'server/src/systems/hospital-monitoring/terminology/',
  'server/src/systems/health-network/key-populations/',
];
const postgresTests = process.env.WEIJIAN_PG_SUITES === 'all' ? serverTests : serverTests.filter((f) => POSTGRES_SUITES.some((p) => f.startsWith(p)));
const browserTests = findTests('test/browser', /\.test\.ts$/);
const smokeTests = findTests('test/smoke', /\.test\.ts$/);

if (!only || only === 'static') {
  run('type check (server)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
  if (existsSync('web/tsconfig.json')) run('type check (web)', bin('tsc'), ['--noEmit', '-p', 'web/tsconfig.json']);
  run('lint and format (biome check)', bin('biome'), ['check']);
}

if (!only || only === 'unit') {
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (run('test template (PGlite)', process.execPath, ['--import', 'tsx', 'scripts/test-setup.ts'], { TEST_DATABASE_URL: '' })) {
    nodeTests(`unit + integration on PGlite (${serverTests.length} files)`, serverTests, { TEST_DATABASE_URL: '' }, 'pglite');
  }
  if (pgUrl) {
    if (run('test template (PostgreSQL)', process.execPath, ['--import', 'tsx', 'scripts/test-setup.ts'])) {
      nodeTests(
        `integration on PostgreSQL (${postgresTests.length} of ${serverTests.length} files: the server-sensitive suites)`,
        postgresTests,
        { TEST_DATABASE_URL: pgUrl },
        'postgres',
      );
    }
  } else {
    process.stdout.write('\n(TEST_DATABASE_URL not set: the PostgreSQL run is skipped here; .ci/run sets it.)\n');
  }
}

// The README's first start as a newcomer meets it: the real server on a fresh data folder with the
// system fonts hidden, a small demo world, a demo account signing in (test/smoke/first-start.test.ts);
// and README's production path: `npm run build`, then the build started with plain node (production-build.test.ts).
if ((!only || only === 'smoke') && smokeTests.length > 0) {
  nodeTests('smoke: first start without system fonts, production build', smokeTests, {}, 'smoke', 1);
}

if ((!only || only === 'browser') && browserTests.length > 0) {
  if (!existsSync('/usr/bin/chromium') && process.env.CI !== 'true') {
    process.stdout.write('\n(/usr/bin/chromium missing: browser tests skipped; apt-get install chromium fonts-wqy-microhei)\n');
  } else {
    run('build web console', bin('vite'), ['build', 'web', '--logLevel', 'warn']);
    // Two files at a time: a browser test mostly waits (on pages, animations, the server), so two share the
    // machine well. The sweep, the longest file, goes first so the others run beside it.
    const ordered = [...browserTests.filter((f) => f.endsWith('sweep.test.ts')), ...browserTests.filter((f) => !f.endsWith('sweep.test.ts'))];
    nodeTests(`browser tests in headless Chromium (${browserTests.length} files)`, ordered, {}, 'browser', process.env.WEIJIAN_BROWSER_CONCURRENCY ?? 2);
  }
}

process.stdout.write(`\n${failures.length ? `failed steps: ${failures.join(', ')}` : 'all steps passed'}\n`);
process.stdout.write(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failures.length ? 1 : 0);
