import { cliCommands } from './cli-commands.ts';
import { loadConfig } from './platform/config.ts';
import { startKernel } from './platform/kernel.ts';
import { allModules } from './modules.ts';

const argv = process.argv.slice(2);

function help(): void {
  const lines = ['用法：weijian <命令> [参数]', '', '命令：'];
  for (const c of cliCommands) lines.push(`  ${c.usage.padEnd(58)} ${c.summary}`);
  lines.push('', '环境变量见 README（DATABASE_URL、WEIJIAN_DATA_DIR …）。');
  process.stdout.write(`${lines.join('\n')}\n`);
}

// Longest command name that prefixes the arguments wins ('user create' before 'user').
const match = [...cliCommands]
  .sort((a, b) => b.name.split(' ').length - a.name.split(' ').length)
  .find((c) => c.name.split(' ').every((w, i) => argv[i] === w));

if (!match || argv.includes('--help') || argv.includes('-h')) {
  if (match) process.stdout.write(`用法：weijian ${match.usage}\n${match.summary}\n`);
  else help();
  process.exit(match || argv.length === 0 || argv[0] === 'help' || argv.includes('--help') ? 0 : 2);
}

const config = { ...loadConfig(), jobs: false, logLevel: process.env.LOG_LEVEL ?? 'warn' };
const kernel = match.noKernel ? null : await startKernel(config, allModules, {});
let code = 1;
try {
  code = await match.run(argv.slice(match.name.split(' ').length), kernel, (l) => process.stdout.write(`${l}\n`));
} catch (e) {
  process.stderr.write(`错误：${e instanceof Error ? e.message : String(e)}\n`);
  code = 1;
} finally {
  await kernel?.db.close();
}
process.exit(code);
