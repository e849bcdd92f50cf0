import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../../platform/http/route.ts';
import { exportHeading, xlsxFile } from '../../../platform/reports/index.ts';
import { enumOf, Paging } from '../../../platform/http/schema.ts';
import { DistrictCode } from '../../common/master-data/schema.ts';
import { abnormalSigningReport } from '../family-doctor/abnormal-signing.ts';
import { AbnormalSigningReport } from './responses.ts';

export const AbnormalQuery = Type.Object(
  {
    threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    district: Type.Optional(DistrictCode),
    format: Type.Optional(enumOf(['json', 'xlsx'] as const)),
    ...Paging,
  },
  { additionalProperties: false },
);

/** 异常重复签约: family-doctor's abnormal-signing report (one ID number signed more than the threshold), with Excel export. */
export async function abnormalSigning(ctx: ServiceContext, q: typeof AbnormalQuery.static) {
  const { format, ...rest } = q;
  const fdCtx = ctx as Parameters<typeof abnormalSigningReport>[0];
  if (format !== 'xlsx') return abnormalSigningReport(fdCtx, rest);
  const r = await abnormalSigningReport(fdCtx, { ...rest, page: 1, pageSize: 100 });
  // Excel: every row, in pages of the report service (its page size is capped).
  const items = [...r.items];
  for (let page = 2; items.length < r.total; page++) {
    const next = await abnormalSigningReport(fdCtx, { ...rest, page, pageSize: 100 });
    if (next.items.length === 0) break;
    items.push(...next.items);
  }
  return xlsxFile(
    `异常签约-超过${r.threshold}次`,
    [
      {
        name: '异常签约',
        columns: [
          { header: '姓名', key: 'personName', width: 12 },
          { header: '身份证号', key: 'idNumberMasked', width: 22 },
          { header: '签约次数', key: 'signCount' },
          { header: '首次签约', key: 'firstSignedOn', width: 12 },
          { header: '最近签约', key: 'lastSignedOn', width: 12 },
        ],
        rows: items as unknown as Record<string, unknown>[],
      },
    ],
    await exportHeading(ctx, `异常签约（超过 ${r.threshold} 次）`),
  );
}

export const abnormalRoute = defineRoute({
  method: 'GET',
  url: '/fd-supervision/abnormal-signing',
  summary: '异常重复签约',
  description: '同一身份证号签约次数超过阈值的居民（复用家庭医生签约的异常签约报表）；format=xlsx 导出。',
  auth: 'staff',
  permission: 'fd-supervision.read',
  querystring: AbnormalQuery,
  response: { 200: AbnormalSigningReport },
  handler: (ctx, { query }) => abnormalSigning(ctx, query),
});
