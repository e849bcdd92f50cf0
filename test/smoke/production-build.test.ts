// The production path as README's "Production" section describes it: `npm run build` (scripts/build.mjs), then
// `NODE_ENV=production npm start` from the build alone — plain node on dist/server, no tsx, no Vite, no
// TypeScript sources. The build goes to a fresh folder holding only what a production machine gets
// (package.json, scripts/start.mjs, bin/weijian.js, dist/, web/dist/) and a node_modules without the
// development dependencies, tsx and esbuild, so an import of any of them from the built server fails here.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freePort, ROOT } from '../browser/server.ts';

const READY_MS = 120_000;
const dir = mkdtempSync(join(tmpdir(), 'wj-prod-'));
let child: ChildProcess | null = null;

after(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child?.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }
  rmSync(dir, { recursive: true, force: true });
});

/** node_modules of a production install, approximately: the shared install minus devDependencies, tsx, esbuild. */
function productionNodeModules(to: string): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const left = new Set([...Object.keys(pkg.devDependencies), 'tsx', 'esbuild', '.bin']);
  const from = join(ROOT, 'node_modules');
  mkdirSync(to);
  for (const e of readdirSync(from)) {
    if (e.startsWith('@')) {
      mkdirSync(join(to, e));
      for (const s of readdirSync(join(from, e))) if (!left.has(`${e}/${s}`)) symlinkSync(join(from, e, s), join(to, e, s));
    } else if (!left.has(e)) symlinkSync(join(from, e), join(to, e));
  }
  return [...left];
}

/** Migration files in the sources: all of them must have been shipped and applied. */
function sourceMigrations(d = join(ROOT, 'server/src')): number {
  let n = 0;
  for (const e of readdirSync(d, { withFileTypes: true })) {
    if (e.isDirectory())
      n += e.name === 'migrations' ? readdirSync(join(d, e.name)).filter((f) => f.endsWith('.sql')).length : sourceMigrations(join(d, e.name));
  }
  return n;
}

test('production build: npm run build, then NODE_ENV=production npm start runs dist/ with plain node and is ready', async (t) => {
  const t0 = Date.now();
  const took = (what: string) => t.diagnostic(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--out', dir], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, `build failed:\n${build.stdout}\n${build.stderr}`);
  assert.ok(existsSync(join(dir, 'dist/server/main.js')) && existsSync(join(dir, 'dist/server/cli.js')), 'server built');
  assert.ok(existsSync(join(dir, 'web/dist/index.html')), 'console built');
  const built = readdirSync(join(dir, 'dist/server'), { recursive: true }).map(String);
  assert.deepEqual(
    built.filter((f) => /\.test\.js$|^test[\\/]|[\\/]test-(support|fixture|flow|world)\.js$/.test(f)),
    [],
    'no tests or test helpers in the build',
  );
  assert.ok(
    built.some((f) => /migrations[\\/]001_\w+\.sql$/.test(f)),
    'migrations shipped beside the modules',
  );

  took('built');
  for (const f of ['package.json', 'scripts/start.mjs', 'bin/weijian.js']) cpSync(join(ROOT, f), join(dir, f));
  const removed = productionNodeModules(join(dir, 'node_modules'));
  t.diagnostic(`node_modules without ${removed.length} packages (devDependencies, tsx, esbuild)`);

  const port = await freePort();
  const keys = join(dir, 'secrets', 'keys.json');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    WEIJIAN_DATA_DIR: join(dir, 'data'),
    WEIJIAN_KEYS: keys,
    WEIJIAN_AUDIT_WITNESS_URL: 'off',
    WEIJIAN_CJK_FONT: 'bundled',
    LOG_LEVEL: 'warn',
  };
  // The key ring as README says (production never generates one), by the built CLI.
  const init = spawnSync(process.execPath, ['bin/weijian.js', 'keys', 'init'], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(init.status, 0, `weijian keys init failed:\n${init.stdout}\n${init.stderr}`);
  assert.ok(existsSync(keys));
  // Plain node: no --import tsx here or through NODE_OPTIONS.
  child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_MS;
  let ready: Record<string, unknown> | null = null;
  while (!ready) {
    assert.ok(child.exitCode === null, `the production server exited (${child.exitCode}):\n${out}`);
    assert.ok(Date.now() < deadline, `not ready in ${READY_MS} ms:\n${out}`);
    const r = await fetch(`${base}/readyz`).catch(() => null);
    if (r?.status === 200) ready = (await r.json()) as Record<string, unknown>;
    else await new Promise((s) => setTimeout(s, 500));
  }
  took('ready');
  assert.equal(ready.status, 'ready');
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  assert.doesNotMatch(out, /演示账号|demo account/i, 'no demo accounts in production');
  assert.doesNotMatch(out, /^警告：/m, `start-up warnings:\n${out}`);

  // The console from web/dist, with its assets, and the API behind it.
  const index = await fetch(`${base}/`);
  assert.equal(index.status, 200);
  const html = await index.text();
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(asset, `index.html names its script:\n${html}`);
  assert.equal((await fetch(`${base}${asset}`)).status, 200);
  const me = await fetch(`${base}/api/v1/auth/me`);
  assert.equal(me.status, 401, 'the API answers, and wants a session');

  // Stop, then the CLI from the build against the same data: every migration in the sources was shipped and applied.
  const exited = new Promise((r) => child?.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  took('stopped');
  const cli = spawnSync(process.execPath, ['bin/weijian.js', 'migrate'], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(cli.status, 0, `weijian migrate failed:\n${cli.stdout}\n${cli.stderr}`);
  took('weijian migrate');
  const applied = [...cli.stdout.matchAll(/: (\d+) 个迁移已应用/g)].reduce((n, m) => n + Number(m[1]), 0);
  assert.equal(applied, sourceMigrations(), `migrations applied by the built server:\n${cli.stdout}`);
});
