import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Starts the real product (built console + API, PGlite in a fresh folder) for browser tests. */

export const ROOT = resolve(import.meta.dirname, '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds web/dist once when it is missing or older than the console's sources. */
export function ensureWebBuilt(): void {
  const index = join(ROOT, 'web/dist/index.html');
  const sources = Math.max(
    newestMtime(join(ROOT, 'web/src')),
    statSync(join(ROOT, 'web/index.html')).mtimeMs,
    statSync(join(ROOT, 'web/vite.config.ts')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', 'web', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

export interface RunningServer {
  url: string;
  dataDir: string;
  /** Everything the server printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Runs before the server starts, on the fresh data folder (e.g. create accounts with the CLI). */
  prepare?: (env: NodeJS.ProcessEnv) => void;
  /** First start creates the demo world; allow for it. */
  readyTimeoutMs?: number;
}

export function serverEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    WEIJIAN_DATA_DIR: dataDir,
    WEIJIAN_WORLD_RESIDENTS: '2000',
    WEIJIAN_JOBS: 'true',
    // 立即运行 works, but no schedule fires: the world template is minutes old by the time a later file
    // starts, and daily jobs that fell due meanwhile (e.g. 01:30 in Shanghai) would run first and hold the
    // one PGlite connection while a test waits on a preview.
    WEIJIAN_JOB_SCHEDULES: 'false',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  };
  // Browser tests run on embedded PGlite, never on a PostgreSQL server from the environment.
  delete env.DATABASE_URL;
  return env;
}

/**
 * The demo world of a first start, made once per world size and server code, then copied into each
 * test's data folder: every module's world stage makes a first start take a minute or more, and eleven
 * browser test files each starting from scratch would spend most of CI generating the same world.
 */
async function worldTemplate(residents: string): Promise<string> {
  const dir = join(ROOT, 'tmp', `browser-world-${residents}`);
  const marker = join(dir, '.ready');
  const fresh = () => existsSync(marker) && statSync(marker).mtimeMs >= newestMtime(join(ROOT, 'server/src'));
  if (fresh()) return dir;
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  // Browser test files run two at a time (scripts/test.mjs): one builds the template, the other waits for it.
  const lock = `${dir}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const since = (() => {
      try {
        return Date.now() - statSync(lock).mtimeMs;
      } catch {
        return 0;
      }
    })();
    if (since > 900_000) rmSync(lock, { recursive: true, force: true }); // its builder died
    await new Promise((r) => setTimeout(r, 1000));
    if (fresh()) return dir;
  }
  try {
    if (fresh()) return dir;
    return await buildWorldTemplate(residents, dir);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function buildWorldTemplate(residents: string, dir: string): Promise<string> {
  const building = mkdtempSync(join(ROOT, 'tmp', `browser-world-${residents}-build-`));
  const env: NodeJS.ProcessEnv = { ...serverEnv(await freePort(), building), WEIJIAN_WORLD_RESIDENTS: residents, WEIJIAN_JOBS: 'false' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 900_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`world template: server exited with ${child.exitCode}:\n${out}`);
      if (Date.now() > deadline) throw new Error(`world template: not ready in 900 s:\n${out}`);
      const ok = await fetch(`http://127.0.0.1:${env.PORT}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    // A clean stop closes the embedded database, so its files can be copied.
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }
  writeFileSync(join(building, '.ready'), '');
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  return dir;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  ensureWebBuilt();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'wj-browser-'));
  const env = serverEnv(port, dataDir);
  opts.prepare?.(env);
  cpSync(await worldTemplate(env.WEIJIAN_WORLD_RESIDENTS ?? '2000'), dataDir, { recursive: true });
  rmSync(join(dataDir, '.ready'), { force: true });
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 240_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`server exited with ${child.exitCode} before it was ready:\n${out}`);
    }
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) return { url, dataDir, output: () => out, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`server not ready within ${opts.readyTimeoutMs ?? 240_000} ms:\n${out}`);
}
