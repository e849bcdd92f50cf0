import { Type } from '@sinclair/typebox';
import { fieldError } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { addDays, todayInShanghai as shanghaiToday } from '../../../platform/util/dates.ts';
import { REPORT_TYPE_NAMES } from './naming.ts';
import * as repo from './repository.ts';
import { UploadStats } from './responses.ts';

const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 });

/**
 * 上传统计: files and residents by upload path (FTP / 页面) × report type × result in a period, with the
 * same counts for residents aged 65 or more at the report date; inside the caller's scope.
 */
export const statsRoute = defineRoute({
  method: 'GET',
  url: '/health-assessment/stats',
  summary: '健康评估报告上传统计（上传途径 × 报告类型，65 岁及以上）',
  auth: 'staff',
  permission: 'health-assessment.read',
  querystring: Type.Object({ from: Type.Optional(DateStr), to: Type.Optional(DateStr) }, { additionalProperties: false }),
  response: { 200: UploadStats },
  handler: async (ctx, { query }) => {
    const to = query.to ?? shanghaiToday();
    const from = query.from ?? addDays(to, -365);
    if (from > to) throw fieldError('from', '开始日期不能晚于结束日期');
    const rows = await repo.stats(ctx.tx, from, to);
    const sum = (k: keyof repo.StatRow, where: (r: repo.StatRow) => boolean) => rows.filter(where).reduce((a, r) => a + (r[k] as number), 0);
    const cells = [] as {
      channel: 'ftp' | 'web';
      reportType: 'HA' | 'PE';
      reportTypeName: string;
      archived: number;
      rejected: number;
      residents: number;
      elderlyArchived: number;
      elderlyResidents: number;
    }[];
    for (const channel of ['ftp', 'web'] as const) {
      for (const reportType of ['HA', 'PE'] as const) {
        const mine = (r: repo.StatRow) => r.channel === channel && r.report_type === reportType;
        cells.push({
          channel,
          reportType,
          reportTypeName: REPORT_TYPE_NAMES[reportType],
          archived: sum('files', (r) => mine(r) && r.status === 'archived'),
          rejected: sum('files', (r) => mine(r) && r.status === 'rejected'),
          residents: sum('residents', (r) => mine(r) && r.status === 'archived'),
          elderlyArchived: sum('elderly_files', (r) => mine(r) && r.status === 'archived'),
          elderlyResidents: sum('elderly_residents', (r) => mine(r) && r.status === 'archived'),
        });
      }
    }
    return {
      from,
      to,
      cells,
      // Files rejected before their type could be read (bad name, not a PDF …), per path.
      unreadable: {
        ftp: sum('files', (r) => r.channel === 'ftp' && r.report_type === null),
        web: sum('files', (r) => r.channel === 'web' && r.report_type === null),
      },
    };
  },
});
