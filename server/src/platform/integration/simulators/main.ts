// npm run simulators: every fake outside system on consecutive ports from WEIJIAN_SIM_PORT (default
// 4100), the generic one first. A development server (NODE_ENV not production) sends to these URLs
// and signs with the development secrets without any configuration; SM2 systems check the platform
// key ring's public key (WEIJIAN_KEYS or <WEIJIAN_DATA_DIR>/keys.json, as the server loads it).
import { join } from 'node:path';
import { loadConfig } from '../../config.ts';
import { loadKeyRing } from '../../crypto/keyring.ts';
import { envPrefix, simulatorBasePort } from '../systems.ts';
import { SIMULATORS } from './catalog.ts';
import { type Simulator, startSimulator } from './simulator.ts';

const config = loadConfig();
if (config.env === 'production') {
  process.stderr.write('模拟器仅用于开发与测试，生产环境（NODE_ENV=production）下拒绝启动。\n');
  process.exit(1);
}
const keys = loadKeyRing({ env: config.keys, file: join(config.dataDir, 'keys.json'), allowGenerate: true });
const base = simulatorBasePort();
const host = process.env.WEIJIAN_SIM_HOST ?? '127.0.0.1';
const running: Simulator[] = [];
try {
  for (const [i, def] of SIMULATORS.entries()) running.push(await startSimulator(def, { port: base + i, host, sm2PublicKey: keys.sm2PublicKey }));
} catch (e) {
  for (const s of running) await s.stop();
  process.stderr.write(`模拟器启动失败：${(e as Error).message}（可用 WEIJIAN_SIM_PORT 换一个起始端口）\n`);
  process.exit(1);
}

const width = Math.max(...running.map((s) => s.def.title.length));
process.stdout.write('\n  外部系统模拟器已启动（管理接口：<地址>/__sim/state、/__sim/received、PUT /__sim/faults）\n\n');
for (const s of running) {
  const env = s.def.system === 'generic' ? '' : `  ${envPrefix(s.def.system)}URL`;
  process.stdout.write(`  ${s.def.title.padEnd(width + 2, '　')}${s.url}  [${s.def.auth}]${env}\n`);
}
process.stdout.write('\n');

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await Promise.all(running.map((s) => s.stop()));
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
