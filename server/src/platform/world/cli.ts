import { join } from 'node:path';
import { allModules } from '../../modules.ts';
import type { CliCommand } from '../cli/types.ts';
import { parseArgs } from '../cli/types.ts';
import { type Config, loadConfig } from '../config.ts';
import { loadKeyRing } from '../crypto/keyring.ts';
import { openDatabase } from '../db/index.ts';
import { migrate } from '../db/migrate.ts';
import type { Database } from '../db/types.ts';
import type { KeyRing } from '../crypto/keyring.ts';
import { createDemoUsers, DEMO_PASSWORD, formatDemoAccounts } from '../demo/users.ts';
import type { WeijianModule } from '../module.ts';
import { worldDigest } from './digest.ts';
import { worldModule } from './module.ts';
import { consoleProgress } from './progress.ts';
import { collectStages, generateWorld, readWorldMeta } from './runner.ts';
import { worldAsOf } from './today.ts';

/** Every module with migrations, the world's own included once (also before kernel-modules.ts lists it). */
function withWorld(modules: readonly WeijianModule[]): WeijianModule[] {
  return modules.some((m) => m.name === worldModule.name) ? [...modules] : [...modules, worldModule];
}

/** These commands open the database themselves (`--database-url` may point elsewhere than DATABASE_URL). */
async function open(flags: Record<string, string | true>, config: Config): Promise<{ db: Database; keys: KeyRing }> {
  const url = typeof flags['database-url'] === 'string' ? flags['database-url'] : config.databaseUrl;
  const db = await openDatabase({ databaseUrl: url, dataDir: join(config.dataDir, 'pg'), poolSize: 4 });
  try {
    const modules = withWorld(allModules).filter((m) => m.migrations);
    await migrate(
      db,
      modules.map((m) => ({ module: m.name, dir: m.migrations as string, adopts: m.adopts })),
    );
    const keys = loadKeyRing({ env: config.keys, file: join(config.dataDir, 'keys.json'), allowGenerate: config.env !== 'production' });
    return { db, keys };
  } catch (e) {
    await db.close();
    throw e;
  }
}

function intFlag(v: string | true | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(typeof v === 'string' ? v.replaceAll('_', '') : Number.NaN);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} 应为非负整数`);
  return n;
}

export const worldGenerateCommand: CliCommand = {
  name: 'world generate',
  summary: '生成上海演示世界（区划、机构、医务人员、居民）并创建演示账号',
  usage: 'world generate [--seed N] [--residents M] [--as-of YYYY-MM-DD] [--database-url URL] [--force]',
  noKernel: true,
  async run(args, _kernel, out) {
    const { flags } = parseArgs(args);
    const config = loadConfig();
    if (config.env === 'production') throw new Error('生产环境（NODE_ENV=production）不允许生成演示世界');
    const seed = intFlag(flags.seed, 'seed', config.worldSeed);
    const residents = intFlag(flags.residents, 'residents', config.worldResidents);
    if (residents < 1) throw new Error('--residents 至少为 1');
    // The world's "today": --as-of, else WEIJIAN_WORLD_AS_OF, else today in Shanghai.
    const asOf = worldAsOf(typeof flags['as-of'] === 'string' ? { WEIJIAN_WORLD_AS_OF: flags['as-of'] } : process.env);
    const stages = collectStages(allModules);
    if (stages.length === 0) throw new Error('没有模块注册演示世界阶段（module.ts 的 world 字段）');
    const { db, keys } = await open(flags, config);
    try {
      const progress = consoleProgress(stages);
      const meta = await generateWorld(db, keys, {
        seed,
        residents,
        stages,
        asOf,
        force: flags.force === true,
        onStage: progress.onStage,
        onProgress: progress.onProgress,
      });
      progress.end();
      out(
        `演示世界已生成：种子 ${meta.seed}，${meta.residents.toLocaleString('zh-CN')} 名居民，“今天”为 ${meta.asOf}，用时 ${meta.seconds?.toFixed(1)} 秒（${db.kind}）`,
      );
      out(`摘要（SM3）：${meta.digest}`);
      const accounts = await createDemoUsers(db, keys, { env: config.env });
      out(`演示账号（仅供演示）— 统一密码：${DEMO_PASSWORD}`);
      out(formatDemoAccounts(accounts));
      out('详见 docs/demo.md');
      return 0;
    } finally {
      await db.close();
    }
  },
};

export const worldDigestCommand: CliCommand = {
  name: 'world digest',
  summary: '重新计算演示世界的摘要（SM3，基于明文），与生成时记录的摘要比对',
  usage: 'world digest [--database-url URL]',
  noKernel: true,
  async run(args, _kernel, out) {
    const { flags } = parseArgs(args);
    const config = loadConfig();
    const { db, keys } = await open(flags, config);
    try {
      const meta = await readWorldMeta(db);
      if (meta?.status !== 'ready') {
        out('尚未生成演示世界（或生成未完成）');
        return 1;
      }
      const stages = collectStages(allModules);
      const progress = consoleProgress(stages);
      const digest = await worldDigest(db, keys, stages, progress.onProgress);
      progress.end();
      out(`种子 ${meta.seed}，${meta.residents.toLocaleString('zh-CN')} 名居民，生成于 ${meta.generatedAt}`);
      out(`摘要（SM3）：${digest}`);
      if (meta.digest && meta.digest !== digest) {
        out(`与生成时记录的摘要不一致：${meta.digest}（数据在生成后被修改过）`);
        return 2;
      }
      out(meta.digest ? '与生成时记录的摘要一致' : '生成时未记录摘要');
      return 0;
    } finally {
      await db.close();
    }
  },
};

export const worldCommands: readonly CliCommand[] = [worldGenerateCommand, worldDigestCommand];
