import type { CliCommand } from './types.ts';

/** Booting the kernel applies pending migrations; this command just reports what is applied. */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: '应用数据库迁移（启动时也会自动应用）',
  usage: 'migrate',
  async run(_args, kernel, out) {
    const rows = await kernel!.db.query<{ module: string; n: number }>(
      'select module, count(*)::int as n from schema_migration group by module order by module',
    );
    for (const r of rows) out(`${r.module}: ${r.n} 个迁移已应用`);
    return 0;
  },
};
