import { Type } from '@sinclair/typebox';
import { fieldError } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { enumOf, pageOf, Paging } from '../../../platform/http/schema.ts';
import { DistrictCode } from '../../common/master-data/schema.ts';
import { FAILURE_TITLE, funnelRows, funnelTotals, STAGE_TITLE, STAGES, saveThresholds, thresholds } from './monitor.ts';
import { actorOf } from './screen.ts';
import { Funnel, MonitorAlertPage, Thresholds } from './responses.ts';

/** 全过程监控: the funnel with success rates and exceptions by day and district, thresholds, alerts. */
const tags = ['计划生育'];
const MAX_DAYS = 92;

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export const funnelRoute = defineRoute({
  method: 'GET',
  url: '/childcare-subsidy/monitor/funnel',
  summary: '全过程监控漏斗：各环节成功数、失败数、进行中与成功率（按日、按区；数据权限内）',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.read',
  querystring: Type.Object(
    {
      from: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '起始日期（默认 30 天前）' })),
      to: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '截止日期（默认今天）' })),
      district: Type.Optional(DistrictCode),
    },
    { additionalProperties: false },
  ),
  response: { 200: Funnel },
  handler: async (ctx, { query }) => {
    const to = query.to ?? todayInShanghai();
    const from = query.from ?? addDays(to, -29);
    if (from > to) throw fieldError('from', '起始日期不能晚于截止日期');
    if (addDays(from, MAX_DAYS) < to) throw fieldError('from', `查询区间不能超过 ${MAX_DAYS} 天`);
    const rows = await funnelRows(ctx.tx, from, to, query.district);
    return { from, to, stages: funnelTotals(rows), rows, thresholds: await thresholds(ctx.tx), stageTitles: STAGE_TITLE, failureTitles: FAILURE_TITLE };
  },
});

export const getThresholdsRoute = defineRoute({
  method: 'GET',
  url: '/childcare-subsidy/monitor/thresholds',
  summary: '各环节失败率告警阈值',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.read',
  response: { 200: Thresholds },
  handler: async (ctx) => ({ items: await thresholds(ctx.tx), stageTitles: STAGE_TITLE }),
});

export const ThresholdsBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          stage: enumOf(STAGES),
          maxFailureRate: Type.Number({ minimum: 0, maximum: 1, description: '失败率阈值（0-1）' }),
          minVolume: Type.Integer({ minimum: 1, maximum: 1_000_000, description: '最少样本数（少于此数不告警）' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: STAGES.length },
    ),
  },
  { additionalProperties: false },
);

export const putThresholdsRoute = defineRoute({
  method: 'PUT',
  url: '/childcare-subsidy/monitor/thresholds',
  summary: '修改各环节失败率告警阈值',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.monitor.manage',
  scope: 'city',
  body: ThresholdsBody,
  response: { 200: Thresholds },
  handler: async (ctx, { body }) => {
    const stages = body.items.map((i) => i.stage);
    if (new Set(stages).size !== stages.length) throw fieldError('items', '同一环节不能重复设置');
    const before = await thresholds(ctx.tx);
    await saveThresholds(ctx.tx, body.items, actorOf(ctx.principal));
    const after = await thresholds(ctx.tx);
    ctx.audit.write({ action: 'childcare-subsidy.monitor.thresholds', objectType: 'cs_monitor_threshold', objectId: stages.join(','), before, after });
    return { items: after, stageTitles: STAGE_TITLE };
  },
});

export const alertsRoute = defineRoute({
  method: 'GET',
  url: '/childcare-subsidy/monitor/alerts',
  summary: '失败率告警记录（数据权限内）',
  tags,
  auth: 'staff',
  permission: 'childcare-subsidy.read',
  querystring: Type.Object({ ...Paging }, { additionalProperties: false }),
  response: { 200: MonitorAlertPage },
  handler: async (ctx, { query }) => {
    const { limit, offset } = pageOf(query);
    const { n } = (await ctx.tx.query<{ n: number }>('select count(*)::int as n from cs_monitor_alert'))[0]!;
    const rows = await ctx.tx.query<{
      id: string;
      stage: string;
      district_code: string | null;
      day: string;
      failed: number;
      total: number;
      failure_rate: number;
      threshold: number;
      notified: number;
      created_at: Date;
    }>('select *, id::text as id from cs_monitor_alert order by cs_monitor_alert.id desc limit $1 offset $2', [limit, offset]);
    return {
      items: rows.map((r) => ({
        id: Number(r.id),
        stage: r.stage,
        stageTitle: STAGE_TITLE[r.stage as keyof typeof STAGE_TITLE],
        districtCode: r.district_code,
        day: r.day,
        failed: r.failed,
        total: r.total,
        failureRate: Number(r.failure_rate),
        threshold: Number(r.threshold),
        notified: r.notified,
        createdAt: r.created_at,
      })),
      total: n,
    };
  },
});

export const monitorRoutes = [funnelRoute, getThresholdsRoute, putThresholdsRoute, alertsRoute];
