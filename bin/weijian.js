#!/usr/bin/env node
// `npx weijian …`: the TypeScript CLI through tsx, so it works without a build step; with NODE_ENV=production
// (or where only the build was shipped) the production build's dist/server/cli.js with plain node.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist/server/cli.js');
const source = join(root, 'server/src/cli.ts');
const useBuild = existsSync(built) && (process.env.NODE_ENV === 'production' || !existsSync(source));
const argv = useBuild ? ['--enable-source-maps', built] : ['--import', 'tsx', source];
const r = spawnSync(process.execPath, [...argv, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
