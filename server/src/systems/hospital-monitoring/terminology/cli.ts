import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { appendAudit } from '../../../platform/audit/append.ts';
import { SYSTEM_PRINCIPAL } from '../../../platform/auth/principal.ts';
import { type CliCommand, parseArgs } from '../../../platform/cli/types.ts';
import { AuditBuffer } from '../../../platform/audit/event.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { importFile } from './import-routes.ts';

/** `weijian terminology import <file> --url … --title …`: the same import as the console, as a draft request. */
export const terminologyImportCommand: CliCommand = {
  name: 'terminology import',
  summary: '导入代码表（CSV code,display[,parent]、FHIR CodeSystem JSON、ICD-11 MMS SimpleTabulation、SNOMED CT RF2 快照目录），生成待审核的变更申请',
  usage: 'terminology import <文件或 RF2 快照目录> [--url URL] [--title 名称] [--version 版本] [--publisher 发布方] [--extends 基础代码系统 URL]',
  async run(args, kernel, out) {
    const { flags, positional } = parseArgs(args);
    const file = positional[0];
    if (!file || !kernel) {
      out(`用法：weijian ${this.usage}`);
      return 2;
    }
    const str = (k: string) => (typeof flags[k] === 'string' ? (flags[k] as string) : undefined);
    const meta = { url: str('url'), title: str('title'), version: str('version'), publisher: str('publisher'), extends: str('extends') };
    let body: Parameters<typeof importFile>[1];
    if ((await stat(file)).isDirectory()) {
      // An RF2 snapshot folder: the three sct2_*_Snapshot files by their standard names.
      const names = await readdir(file);
      const pick = async (kind: string) => {
        const n = names.find((x) => x.startsWith(`sct2_${kind}_Snapshot`) && x.endsWith('.txt'));
        if (!n) throw new AppError(400, 'VALIDATION_FAILED', `目录中没有 sct2_${kind}_Snapshot*.txt`);
        return readFile(join(file, n), 'utf8');
      };
      try {
        body = {
          format: 'snomed-rf2',
          content: await pick('Concept'),
          descriptions: await pick('Description'),
          relationships: await pick('Relationship'),
          ...meta,
        };
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        out(e.message);
        return 1;
      }
    } else {
      const content = await readFile(file, 'utf8');
      // The WHO tabulation is recognised by its header, whatever the file is called.
      const format = file.endsWith('.json') ? 'fhir' : content.replace(/^\uFEFF/, '').startsWith('Foundation URI\t') ? 'icd11' : 'csv';
      body = { format, content, ...meta };
    }
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
