import { Type } from '@sinclair/typebox';
import { notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { analyticsCatalog } from '../indicators/catalog.ts';
import { enumOf, Id, IdParams, pageOf, Paging } from '../../../platform/http/schema.ts';
import { CORRECTABLE, KIND_CODES, KIND_TITLE, type DqKind, SEVERITY_TITLE } from './definition.ts';
import * as repo from './repository.ts';
import { type Anomaly, AnomalyDetail, AnomalyList } from './responses.ts';

export const STATUSES = ['open', 'fixed', 'closed'] as const;
export const STATUS_TITLE: Record<string, string> = { open: '待整改', fixed: '已修正待复核', closed: '已消除' };

export function anomalyView(a: repo.AnomalyRow): Anomaly {
  const src = analyticsCatalog.sources.get(a.source);
  return {
    id: a.id,
    ruleId: a.rule_id,
    ruleTitle: a.rule_title,
    kind: a.kind as DqKind,
    kindTitle: KIND_TITLE[a.kind as DqKind],
    severity: a.severity as Anomaly['severity'],
    severityTitle: SEVERITY_TITLE[a.severity] ?? a.severity,
    source: a.source,
    sourceTitle: src?.title ?? a.source,
    objectKey: a.object_key,
    institutionId: a.institution_id,
    institutionName: a.institution_name,
    districtCode: a.district_code,
    field: a.field,
    fieldTitle: src?.fields.get(a.field)?.title ?? a.field,
    fieldType: CORRECTABLE[a.source as keyof typeof CORRECTABLE]?.[a.field] ?? 'string',
    currentValue: a.current_value,
    suggestedValue: a.suggested_value,
    suggestion: a.suggestion,
    status: a.status as Anomaly['status'],
    statusTitle: STATUS_TITLE[a.status] ?? a.status,
    foundAt: a.found_at.toISOString(),
    fixedAt: a.fixed_at?.toISOString() ?? null,
    fixedBy: a.fixed_by,
    closedAt: a.closed_at?.toISOString() ?? null,
  };
}

export const ListQuery = Type.Object(
  {
    kind: Type.Optional(enumOf(KIND_CODES)),
    status: Type.Optional(enumOf(STATUSES)),
    ruleId: Type.Optional(Id),
    institutionId: Type.Optional(Id),
    ...Paging,
  },
  { additionalProperties: false },
);

export const listAnomaliesRoute = defineRoute({
  method: 'GET',
  url: '/data-quality/anomalies',
  summary: '数据质量问题清单（按类别、状态、规则、机构筛选；按数据权限）',
  auth: 'staff',
  permission: 'data-quality.read',
  querystring: ListQuery,
  response: { 200: AnomalyList },
  handler: async (ctx, { query }) => {
    const { rows, total } = await repo.listAnomalies(ctx.tx, query, pageOf(query));
    return { items: rows.map(anomalyView), total };
  },
});

export const getAnomalyRoute = defineRoute({
  method: 'GET',
  url: '/data-quality/anomalies/:id',
  summary: '数据质量问题详情与修正记录（修正前后值）',
  auth: 'staff',
  permission: 'data-quality.read',
  params: IdParams,
  response: { 200: AnomalyDetail },
  handler: async (ctx, { params }) => {
    const a = await repo.findAnomaly(ctx.tx, params.id);
    if (!a) throw notFound('问题记录不存在或不在您的数据权限范围内');
    // The record's values may be clinical (a diagnosis code): reading them is a 调阅.
    ctx.audit.read({ action: 'data-quality.anomaly.read', objectType: a.source, objectId: a.object_key, note: `数据质量问题 ${a.id}` });
    const corrections = await repo.listCorrections(ctx.tx, a.id);
    return {
      ...anomalyView(a),
      corrections: corrections.map((c) => ({
        id: c.id,
        field: c.field,
        before: c.before_value,
        after: c.after_value,
        note: c.note,
        by: c.corrected_by,
        at: c.corrected_at.toISOString(),
      })),
    };
  },
});
