#!/usr/bin/env node
// `npm start`: build the web console when its sources are newer than the build, then run the server
// (which migrates, creates the demo world on first start, and serves API + console).
// With NODE_ENV=production it builds nothing and runs the production build (`npm run build`: dist/server,
// web/dist) with plain node — no tsx, no Vite, so `npm ci --omit=dev` is enough on the server machine.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

function productionServer() {
  const main = join('dist', 'server', 'main.js');
  if (!existsSync(main)) {
    process.stderr.write(
      '生产启动需要构建产物 dist/server/main.js：请先运行 npm run build（需要开发依赖，可在构建机上完成），再部署 dist/ 与 web/dist/。\n' +
        'NODE_ENV=production runs the production build: run `npm run build` first (needs the dev dependencies), then ship dist/ and web/dist/.\n',
    );
    process.exit(1);
  }
  const built = statSync(join('dist', 'server', 'build.json'), { throwIfNoEntry: false })?.mtimeMs ?? statSync(main).mtimeMs;
  if (newest('server/src') > built) process.stderr.write('警告：server/src 比 dist/server 新，运行的是旧构建；请重新 npm run build。\n');
  const web = join(process.env.WEIJIAN_WEB_DIST ?? join('web', 'dist'), 'index.html');
  if (!existsSync(web)) process.stderr.write(`警告：未找到控制台构建 ${web}，只提供 API；请 npm run build 并部署 web/dist/。\n`);
  return [process.execPath, ['--enable-source-maps', main, ...process.argv.slice(2)]];
}

function developmentServer() {
  if (existsSync('web/index.html')) {
    const built = existsSync('web/dist/index.html') ? statSync('web/dist/index.html').mtimeMs : 0;
    if (built < Math.max(newest('web/src'), statSync('web/index.html').mtimeMs)) {
      process.stdout.write('构建前端控制台（vite build）…\n');
      const r = spawnSync(join('node_modules', '.bin', 'vite'), ['build', 'web', '--logLevel', 'warn'], { stdio: 'inherit' });
      if (r.status !== 0) process.exit(r.status ?? 1);
    }
  }
  return [process.execPath, ['--import', 'tsx', 'server/src/main.ts', ...process.argv.slice(2)]];
}

const [cmd, argv] = process.env.NODE_ENV === 'production' ? productionServer() : developmentServer();
const child = spawn(cmd, argv, { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
