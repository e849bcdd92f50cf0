import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { conflict, fieldError, notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { quoteIdent } from '../../../platform/rules/catalog.ts';
import { sql } from '../../../platform/db/sql.ts';
import { isDateString } from '../../../platform/rules/dates.ts';
import { IdParams } from '../../../platform/http/schema.ts';
import { correctHospitalField } from '../hospital-data/service.ts';
import { analyticsCatalog } from '../indicators/catalog.ts';
import { anomalyView } from './anomalies.ts';
import { CORRECTABLE, engineRule } from './definition.ts';
import { hitsSql } from './hits-sql.ts';
import * as repo from './repository.ts';
import { dqRuleInput } from './run.ts';
import { Anomaly } from './responses.ts';

/**
 * The correction service (数据修正): a data manager sets the offending field of the flagged row. Only the
 * (source, field) pairs of the whitelist can be edited; table and column names come from the catalog;
 * the update runs in the caller's scoped transaction (row-level security: a hospital edits only its own
 * rows). The rule is then run again on that one row inside the same transaction — a value that still
 * breaks the rule is refused and nothing is written. The change is kept with its before/after values in
 * dq_correction and in the audit chain; the anomaly becomes "fixed" until the next check confirms it.
 */
export const CorrectBody = Type.Object(
  {
    value: Type.String({ minLength: 1, maxLength: 40 }),
    note: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);

function parseValue(type: 'date' | 'integer' | 'string', raw: string): string {
  const v = raw.trim();
  if (type === 'date' && !isDateString(v)) throw fieldError('value', '请填写日期（格式 YYYY-MM-DD）');
  if (type === 'integer' && !/^[1-9][0-9]{0,15}$/.test(v)) throw fieldError('value', '请填写正整数编号');
  if (v === '') throw fieldError('value', '请填写修正后的值');
  return v;
}

export async function correctAnomaly(ctx: ServiceContext, id: number, b: typeof CorrectBody.static) {
  const a = await repo.findAnomaly(ctx.tx, id, true);
  if (!a) throw notFound('问题记录不存在或不在您的数据权限范围内');
  if (a.status !== 'open') throw conflict(a.status === 'fixed' ? '该问题已修正，等待下次检查复核' : '该问题已消除');
  const type = CORRECTABLE[a.source as keyof typeof CORRECTABLE]?.[a.field];
  const src = analyticsCatalog.sources.get(a.source);
  const field = src?.fields.get(a.field);
  if (!type || !src || !field) throw unprocessable('该字段不在可修正范围内');
  const value = parseValue(type, b.value);
  const table = quoteIdent(src.table);
  const column = quoteIdent(field.column);
  const key = quoteIdent(src.key.column);

  const [row] = await ctx.tx.query<{ before: string | null }>(`select ${column}::text as before from ${table} where ${key} = $1::int8 for update`, [
    a.object_key,
  ]);
  if (!row) throw notFound('原始记录不存在或不在您的数据权限范围内');
  if (row.before === value) throw fieldError('value', '修正后的值与原值相同');
  if (a.source === 'encounter' && a.field === 'discharged_on') {
    // hm_encounter's own check constraint, said in words before the database says it as an error.
    const [e] = await ctx.tx.query<{ ok: boolean }>(`select admitted_on <= $2::date as ok from hm_encounter where id = $1::int8`, [a.object_key, value]);
    if (!e?.ok) throw fieldError('value', '出院日期不能早于入院日期');
  }
  const cast = type === 'date' ? 'date' : type === 'integer' ? 'int8' : 'text';
  await correctHospitalField(ctx.tx, { table: src.table, column: field.column, key: src.key.column, id: a.object_key, value, cast });

  const rule = await repo.findRule(ctx.tx, a.rule_id);
  if (rule) {
    const h = hitsSql(engineRule(rule.id, rule.version, dqRuleInput(rule)), rule.definition);
    const still = await ctx.tx.query(sql`select 1 from (${h}) h where h.rk = ${a.object_key}::int8`);
    if (still.length > 0) throw unprocessable(`修正后的数据仍不符合规则「${rule.title}」`, [{ field: 'value', message: `修正后仍不符合：${rule.sentence}` }]);
  }
  await repo.insertCorrection(ctx.tx, {
    anomalyId: a.id,
    source: a.source,
    objectKey: a.object_key,
    field: a.field,
    before: row.before,
    after: value,
    note: b.note?.trim() || null,
    institutionId: a.institution_id,
    district: a.district_code,
    by: ctx.principal.username,
  });
  await repo.markFixed(ctx.tx, a.id, ctx.principal.username, value);
  ctx.audit.write({
    action: 'data-quality.correct',
    objectType: src.table,
    objectId: a.object_key,
    before: { [a.field]: row.before },
    after: { [a.field]: value },
    note: `数据质量问题 ${a.id}`,
    districtCode: a.district_code,
  });
  return anomalyView((await repo.findAnomaly(ctx.tx, a.id))!);
}

export const correctRoute = defineRoute({
  method: 'POST',
  url: '/data-quality/anomalies/:id/correct',
  summary: '修正数据质量问题（白名单字段，修正前后值留痕，修正后立即按规则复核）',
  auth: 'staff',
  permission: 'data-quality.correct',
  params: IdParams,
  body: CorrectBody,
  response: { 200: Anomaly },
  handler: (ctx, { params, body }) => correctAnomaly(ctx, params.id, body),
});
