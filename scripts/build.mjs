#!/usr/bin/env node
// `npm run build`: the production build — the server as plain JavaScript in dist/server and the console in
// web/dist. A production machine then needs only those two folders, package.json and the runtime
// dependencies (`npm ci --omit=dev`); neither tsx nor Vite runs there.
//
// The server is transpiled file by file (server/src/x/y.ts → dist/server/x/y.js), not bundled: modules find
// their migrations, word lists and package.json next to themselves through import.meta.url, and native or
// data-carrying packages (argon2, PGlite's wasm, pdfkit's fonts) stay in node_modules where they expect to be.
//
//   node scripts/build.mjs [--server-only] [--out DIR]
//     --server-only  skip the console (vite build)
//     --out DIR      write DIR/dist/server and DIR/web/dist instead of this repository's (tests)
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'server/src');
/** What the production server and CLI start from; everything they import (statically or dynamically) is built. */
const ENTRIES = ['main.ts', 'cli.ts'].map((f) => join(SRC, f));
/** Files read at run time beside the sources (migrations, word lists); documentation is left out. */
const ASSET = /\.(sql|txt|json|csv|gz)$/;

const args = process.argv.slice(2);
const serverOnly = args.includes('--server-only');
const out = resolve(args.includes('--out') ? args[args.indexOf('--out') + 1] : ROOT);
const serverOut = join(out, 'dist/server');

/** Package name of a bare import specifier ('@scope/name/sub' → '@scope/name'). */
const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');
const builtins = new Set(builtinModules);
const isBuiltin = (spec) => spec.startsWith('node:') || builtins.has(packageOf(spec));

/** The server files reachable from the entries, and the npm packages they import. */
async function graph() {
  const r = await esbuild.build({
    entryPoints: ENTRIES,
    bundle: true,
    write: false,
    metafile: true,
    outdir: join(ROOT, 'tmp/build-graph'),
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const files = Object.keys(r.metafile.inputs).map((f) => resolve(ROOT, f));
  const packages = new Set();
  for (const input of Object.values(r.metafile.inputs)) {
    for (const i of input.imports) if (i.external && !isBuiltin(i.path)) packages.add(packageOf(i.path));
  }
  return { files, packages };
}

/** `import … from './x.ts'` → './x.js', every import left as an import (nothing is inlined). */
const keepImports = {
  name: 'keep-imports',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (a) => {
      if (a.kind === 'entry-point') return undefined;
      if (a.path.startsWith('.')) return { path: a.path.replace(/\.ts$/, '.js'), external: true };
      return { path: a.path, external: true };
    });
  },
};

function copyAssets(dir) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) copyAssets(p);
    else if (ASSET.test(e)) {
      const to = join(serverOut, relative(SRC, p));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(p, to);
    }
  }
}

async function buildServer() {
  const t = Date.now();
  const { files, packages } = await graph();
  const outside = files.filter((f) => !f.startsWith(SRC + sep));
  if (outside.length) throw new Error(`server code imports files outside server/src: ${outside.map((f) => relative(ROOT, f)).join(', ')}`);
  const tests = files.filter((f) => /\.test\.ts$|[\\/]server[\\/]src[\\/]test[\\/]/.test(f));
  if (tests.length) throw new Error(`server code imports test code: ${tests.map((f) => relative(ROOT, f)).join(', ')}`);
  // A production install (`npm ci --omit=dev`) has only `dependencies`: a package imported from elsewhere
  // would be missing there, or present only by accident of another package's dependencies.
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const missing = [...packages].filter((p) => !pkg.dependencies?.[p]).sort();
  if (missing.length) throw new Error(`server code imports packages that are not in package.json "dependencies": ${missing.join(', ')}`);

  rmSync(serverOut, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: files,
    outbase: SRC,
    outdir: serverOut,
    bundle: true,
    plugins: [keepImports],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
  copyAssets(SRC);
  writeFileSync(join(serverOut, 'build.json'), `${JSON.stringify({ builtAt: new Date().toISOString(), files: files.length }, null, 2)}\n`);
  process.stdout.write(`服务端构建完成：${files.length} 个文件 → ${relative(process.cwd(), serverOut) || '.'}（${Date.now() - t} ms）\n`);
}

function buildConsole() {
  if (!existsSync(join(ROOT, 'web/index.html'))) return;
  const vite = join(ROOT, 'node_modules/.bin/vite');
  if (!existsSync(vite)) throw new Error('vite is missing: build on a machine with the development dependencies (npm ci), then ship dist/ and web/dist/');
  process.stdout.write('构建前端控制台（vite build）…\n');
  const r = spawnSync(vite, ['build', join(ROOT, 'web'), '--logLevel', 'warn', '--outDir', join(out, 'web/dist'), '--emptyOutDir'], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

try {
  await buildServer();
  if (!serverOnly) buildConsole();
} catch (e) {
  process.stderr.write(`构建失败 / build failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
