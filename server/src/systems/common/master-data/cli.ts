import { readFile } from 'node:fs/promises';
import { appendAudit } from '../../../platform/audit/append.ts';
import { SYSTEM_PRINCIPAL } from '../../../platform/auth/principal.ts';
import type { CliCommand } from '../../../platform/cli/types.ts';
import { parseArgs } from '../../../platform/cli/types.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import type { Kernel } from '../../../platform/kernel.ts';
import { importDivisions } from './import-divisions.ts';
import { ImportError } from './import-errors.ts';
import { importInstitutions } from './import-institutions.ts';
import { importMap } from './import-map.ts';

/** Reads the file, imports it in one transaction with an audit event, and prints counts or every bad row. */
async function runImport<T extends object>(
  kind: string,
  action: string,
  args: string[],
  kernel: Kernel | null,
  out: (l: string) => void,
  run: (tx: Queryable, text: string) => Promise<T>,
): Promise<number> {
  const { positional } = parseArgs(args);
  const file = positional[0];
  if (!file || !kernel) {
    out(`用法：weijian import ${kind} <文件>`);
    return 2;
  }
  const text = await readFile(file, 'utf8');
  try {
    const result = await kernel.db.transaction(async (tx) => {
      const r = await run(tx, text);
      await appendAudit(tx, SYSTEM_PRINCIPAL, [{ kind: 'admin', action, objectType: 'import', objectId: null, after: r, note: file.split('/').pop() }], {
        ip: null,
        requestId: null,
      });
      return r;
    });
    out(
      Object.entries(result)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    );
    return 0;
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    out(e.message);
    for (const p of e.problems) out(`  第 ${p.line} 行：${p.message}`);
    return 1;
  }
}

export const importCommands: CliCommand[] = [
  {
    name: 'import divisions',
    summary: '导入街镇 / 居委（CSV：code,name,areaCode,… 或 code,name,parent_code；有错则全部不写入）',
    usage: 'import divisions <file.csv>',
    run: (args, kernel, out) => runImport('divisions', 'master-data.import-divisions', args, kernel, out, importDivisions),
  },
  {
    name: 'import institutions',
    summary: '导入医疗机构（CSV：code,name,kind,level,grade,category,district_code,street_code,parent_code,address,phone）',
    usage: 'import institutions <file.csv>',
    run: (args, kernel, out) => runImport('institutions', 'master-data.import-institutions', args, kernel, out, importInstitutions),
  },
  {
    name: 'import map',
    summary: '导入各区边界（GeoJSON FeatureCollection，按 adcode/code 或名称匹配区；控制台地图随之显示真实边界）',
    usage: 'import map <file.geojson>',
    run: (args, kernel, out) => runImport('map', 'master-data.import-map', args, kernel, out, (tx, text) => importMap(tx, text)),
  },
];
