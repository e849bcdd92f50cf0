import { loadConfig } from './platform/config.ts';
import { buildServer } from './platform/http/server.ts';
import { startKernel } from './platform/kernel.ts';
import { allModules } from './modules.ts';
import { FirstStartError, onFirstStart } from './platform/demo/first-start.ts';
import { startDemoSimulators } from './platform/demo/simulators.ts';
import { startScheduler } from './platform/jobs/scheduler.ts';

// boot: config → db → migrations → module registry → first-start demo → http → jobs
const started = Date.now();
const config = loadConfig();
const kernel = await startKernel(config, allModules);
// Demo: outside systems without a configured URL are answered by their simulators, in this process.
const simulators = config.demo
  ? await startDemoSimulators({ adapters: kernel.adapters.list(), keys: kernel.keys, production: config.env === 'production', log: (m) => kernel.log.warn(m) })
  : null;
if (config.demo) {
  try {
    await onFirstStart(kernel);
  } catch (e) {
    // onFirstStart has said what failed and erased what it wrote: close the database cleanly and stop.
    if (!(e instanceof FirstStartError)) kernel.log.error({ err: e }, 'first start failed');
    await kernel.db.close();
    process.exit(1);
  }
}
const app = await buildServer(kernel);
await app.listen({ host: config.host, port: config.port });
const scheduler = config.jobs ? startScheduler(kernel, { schedules: config.jobSchedules }) : null;

const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
kernel.log.info({ url, database: kernel.db.kind, ms: Date.now() - started }, 'weijian ready');
process.stdout.write(
  `\n  weijian 卫健 已启动：${url}\n  API 文档：${url}/api/docs\n  数据库：${kernel.db.kind === 'pglite' ? `PGlite（${config.dataDir}）` : 'PostgreSQL'}\n\n`,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  kernel.log.info({ signal }, 'shutting down');
  await scheduler?.stop();
  await (kernel.services.integration as { stop(): Promise<void> } | undefined)?.stop();
  await simulators?.stop();
  await app.close();
  await kernel.db.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
