import { readFile } from 'node:fs/promises';
import { appendAudit } from '../../../platform/audit/append.ts';
import { SYSTEM_PRINCIPAL } from '../../../platform/auth/principal.ts';
import { type CliCommand, parseArgs } from '../../../platform/cli/types.ts';
import { AuditBuffer } from '../../../platform/audit/event.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { importFile } from './import-routes.ts';

/** `weijian terminology import <file> --url … --title …`: the same import as the console, as a draft request. */
export const terminologyImportCommand: CliCommand = {
  name: 'terminology import',
  summary: '导入代码表（CSV code,display[,parent] 或 FHIR CodeSystem JSON），生成待审核的变更申请',
  usage: 'terminology import <文件> [--url URL] [--title 名称] [--version 版本] [--publisher 发布方]',
  async run(args, kernel, out) {
    const { flags, positional } = parseArgs(args);
    const file = positional[0];
    if (!file || !kernel) {
      out(`用法：weijian ${this.usage}`);
      return 2;
    }
    const content = await readFile(file, 'utf8');
    const str = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
    const body = { format: file.endsWith('.json') ? ('fhir' as const) : ('csv' as const), content, url: str('url'), title: str('title'), version: str('version'), publisher: str('publisher') };
    try {
      const r = await kernel.db.transaction(async (tx) => {
        const audit = new AuditBuffer();
        const res = await importFile({ tx, audit, principal: SYSTEM_PRINCIPAL, kernel }, body);
        await appendAudit(tx, SYSTEM_PRINCIPAL, audit.events, { ip: null, requestId: null });
        return res;
      });
      out(`已生成变更申请 #${r.changeRequestId}：${r.concepts} 个代码，${r.items} 项变更${r.created ? '（新代码系统）' : ''}。请在控制台提交审核。`);
      return 0;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      out(e.message);
      for (const d of e.details) out(`  ${d.message}`);
      return 1;
    }
  },
};
