import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { fieldError } from '../../../platform/http/errors.ts';
import { and, one, type Sql, sql } from '../../../platform/db/index.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { exportHeading, xlsxFile } from '../../../platform/reports/index.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { Paging, pageOf } from '../../../platform/http/schema.ts';
import { getPeople } from '../../common/resident-index/service.ts';
import { DrillFields, drillOf, groupNames } from './drill.ts';
import { RenewalHistory, type RenewalRecord, RenewalWorkload, type WorkloadRow } from './responses.ts';

const DateStr = Type.String({ format: 'date', maxLength: 10 });
const DAY = 86_400_000;

export const HistoryQuery = Type.Object(
  {
    ...DrillFields,
    operator: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '经办人（姓名包含）' })),
    from: Type.Optional(DateStr),
    to: Type.Optional(DateStr),
    ...Paging,
  },
  { additionalProperties: false },
);
type HistoryInput = typeof HistoryQuery.static;

function filters(q: HistoryInput): { where: Sql; from: string; to: string } {
  const to = q.to ?? todayInShanghai();
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 364 * DAY).toISOString().slice(0, 10);
  if (from > to) throw fieldError('from', '开始日期不能晚于结束日期');
  const operator = q.operator === undefined ? null : `%${q.operator.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`;
  const where = and([
    sql`e.kind = 'renew'`,
    sql`e.on_date between ${from} and ${to}`,
    ...drillOf(q).filter('e'),
    operator !== null && sql`e.operator_name like ${operator}`,
  ]);
  return { where, from, to };
}

/** 续约记录: renewals searchable by operator, period and the drill filter, newest first (reading residents is audited). */
export async function renewalHistory(ctx: ServiceContext, q: HistoryInput) {
  const f = filters(q);
  const { limit, offset } = pageOf(q);
  const c = await one<{ n: number }>(ctx.tx, sql`select count(*)::int as n from fd_contract_event_v e where ${f.where}`);
  const rows = await ctx.tx.query<{
    id: number;
    contract_id: number;
    person_id: number;
    on_date: string;
    institution_id: number;
    doctor_id: number;
    years: number;
    operator_name: string | null;
  }>(
    sql`select e.id, e.contract_id, e.person_id, e.on_date, e.institution_id, e.doctor_id, coalesce((e.detail ->> 'years')::int, 1) as years, e.operator_name
       from fd_contract_event_v e where ${f.where} order by e.on_date desc, e.id desc limit ${limit} offset ${offset}`,
  );
  const people = await getPeople(
    ctx,
    rows.map((r) => Number(r.person_id)),
  );
  const inst = await groupNames(ctx, 'institution', [...new Set(rows.map((r) => String(r.institution_id)))]);
  const docs = await groupNames(ctx, 'doctor', [...new Set(rows.map((r) => String(r.doctor_id)))]);
  const items: RenewalRecord[] = rows.map((r) => ({
    eventId: Number(r.id),
    contractId: Number(r.contract_id),
    onDate: r.on_date,
    personName: people.get(Number(r.person_id))?.name ?? null,
    idNumberMasked: people.get(Number(r.person_id))?.idNumberMasked ?? null,
    institutionName: inst.get(String(r.institution_id)) ?? '',
    doctorName: docs.get(String(r.doctor_id)) ?? '',
    years: r.years,
    operatorName: r.operator_name,
  }));
  ctx.audit.read({
    action: 'fd-supervision.renewal-history',
    objectType: 'report',
    objectId: null,
    note: `续约记录 ${f.from}～${f.to}${q.operator ? `，经办人含「${q.operator}」` : ''}（${items.length} 条）`,
  });
  return { from: f.from, to: f.to, total: c.n, items };
}

/** 续约工作量: renewals per operator under the same filters, most first. */
export async function renewalWorkload(ctx: ServiceContext, q: HistoryInput & { format?: string }) {
  const f = filters(q);
  const rows = await ctx.tx.query<{ operator_name: string; renewals: number; residents: number; flexible: number; first_on: string; last_on: string }>(
    sql`select coalesce(e.operator_name, '（未记录）') as operator_name, count(*)::int as renewals, count(distinct e.person_id)::int as residents,
            count(*) filter (where coalesce((e.detail ->> 'years')::int, 1) > 1)::int as flexible, min(e.on_date)::text as first_on, max(e.on_date)::text as last_on
       from fd_contract_event_v e where ${f.where} group by 1 order by 2 desc, 1 limit 500`,
  );
  const items: WorkloadRow[] = rows.map((r) => ({
    operatorName: r.operator_name,
    renewals: r.renewals,
    residents: r.residents,
    flexible: r.flexible,
    firstOn: r.first_on,
    lastOn: r.last_on,
  }));
  ctx.audit.read({ action: 'fd-supervision.report', objectType: 'report', objectId: null, note: `续约工作量 ${f.from}～${f.to}` });
  if (q.format === 'xlsx') {
    return xlsxFile(
      `续约工作量-${f.from}-${f.to}`,
      [
        {
          name: '续约工作量',
          columns: [
            { header: '经办人', key: 'operatorName', width: 20 },
            { header: '续约次数', key: 'renewals' },
            { header: '续约居民数', key: 'residents' },
            { header: '弹性续约', key: 'flexible' },
            { header: '首次', key: 'firstOn', width: 12 },
            { header: '最近', key: 'lastOn', width: 12 },
          ],
          rows: items as unknown as Record<string, unknown>[],
        },
      ],
      await exportHeading(ctx, `续约工作量 ${f.from}～${f.to}`),
    );
  }
  return { from: f.from, to: f.to, items };
}

export const renewalHistoryRoute = defineRoute({
  method: 'GET',
  url: '/fd-supervision/renewals/history',
  summary: '续约记录（按经办人查询）',
  auth: 'staff',
  permission: 'fd-supervision.read',
  querystring: HistoryQuery,
  response: { 200: RenewalHistory },
  handler: (ctx, { query }) => renewalHistory(ctx, query),
});

export const renewalWorkloadRoute = defineRoute({
  method: 'GET',
  url: '/fd-supervision/renewals/workload',
  summary: '续约工作量统计',
  description: '按经办人统计续约次数、居民数、弹性续约数；format=xlsx 导出。',
  auth: 'staff',
  permission: 'fd-supervision.read',
  querystring: HistoryQuery,
  response: { 200: RenewalWorkload },
  handler: (ctx, { query }) => renewalWorkload(ctx, query),
});
