#!/usr/bin/env node
// `npm start`: build the web console when its sources are newer than the build, then run the server
// (which migrates, creates the demo world on first start, and serves API + console).
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

if (existsSync('web/index.html')) {
  const built = existsSync('web/dist/index.html') ? statSync('web/dist/index.html').mtimeMs : 0;
  if (built < Math.max(newest('web/src'), statSync('web/index.html').mtimeMs)) {
    process.stdout.write('构建前端控制台（vite build）…\n');
    const r = spawnSync(join('node_modules', '.bin', 'vite'), ['build', 'web', '--logLevel', 'warn'], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
