import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../../platform/http/route.ts';
import { Paging, pageOf } from '../../../platform/http/schema.ts';
import { DistrictCode } from '../../common/master-data/schema.ts';
import { getPeople } from '../../common/resident-index/service.ts';
import { abnormalSignings, abnormalThreshold } from './repository.ts';
import { type AbnormalSigning, AbnormalSigningReport } from './responses.ts';

export const AbnormalQuery = Type.Object(
  {
    threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: '超过该次数列入；默认取参数 abnormal_sign_threshold（10）' })),
    district: Type.Optional(DistrictCode),
    ...Paging,
  },
  { additionalProperties: false },
);

export type AbnormalRow = AbnormalSigning;

/** 异常签约: one ID number (one resident) signed more than the threshold (every contract counts: signings, changes, renewals). */
export async function abnormalSigningReport(
  ctx: ServiceContext,
  q: typeof AbnormalQuery.static,
): Promise<{ threshold: number; items: AbnormalRow[]; total: number }> {
  const threshold = q.threshold ?? (await abnormalThreshold(ctx.tx));
  const { limit, offset } = pageOf(q);
  const { rows, total } = await abnormalSignings(ctx.tx, threshold, q.district, limit, offset);
  const people = await getPeople(
    ctx,
    rows.map((r) => r.person_id),
  );
  ctx.audit.read({ action: 'family-doctor.abnormal-signing', objectType: 'report', objectId: null, note: `异常签约报表（超过 ${threshold} 次）` });
  return {
    threshold,
    total,
    items: rows.map((r) => ({
      personId: r.person_id,
      personName: people.get(r.person_id)?.name ?? null,
      idNumberMasked: people.get(r.person_id)?.idNumberMasked ?? null,
      signCount: r.n,
      firstSignedOn: r.first_signed,
      lastSignedOn: r.last_signed,
    })),
  };
}

export const abnormalSigningRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/reports/abnormal-signing',
  summary: '异常签约报表',
  description: '同一身份证号签约次数超过阈值（默认 10 次，可配置）的居民及签约次数。',
  auth: 'staff',
  permission: 'family-doctor.read',
  querystring: AbnormalQuery,
  response: { 200: AbnormalSigningReport },
  handler: (ctx, { query }) => abnormalSigningReport(ctx, query),
});
