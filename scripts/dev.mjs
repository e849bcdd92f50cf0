#!/usr/bin/env node
// `npm run dev`: the server (restarted on change by tsx watch) and Vite's dev server with hot reload.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const procs = [
  spawn(process.execPath, ['--import', 'tsx', '--watch', 'server/src/main.ts'], { stdio: 'inherit' }),
  spawn(join('node_modules', '.bin', 'vite'), ['web'], { stdio: 'inherit' }),
];
const stop = () => {
  for (const p of procs) p.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
