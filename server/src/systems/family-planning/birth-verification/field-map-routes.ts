import { Type } from '@sinclair/typebox';
import { fieldError } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf } from '../../../platform/http/schema.ts';
import { DEFAULT_FIELD_MAP, loadFieldMap, TARGET_FIELDS, updateFieldMap } from './field-map.ts';
import { FieldMapSaved, FieldMapView } from './responses.ts';

export const getFieldMapRoute = defineRoute({
  method: 'GET',
  url: '/birth-verification/field-map',
  summary: '市妇幼接口字段映射（来源字段 → 本系统字段）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.read',
  response: { 200: FieldMapView },
  handler: async (ctx) => {
    const map = await loadFieldMap(ctx.tx);
    return { items: map.map((m) => ({ ...m, defaultSourceField: DEFAULT_FIELD_MAP.find((d) => d.targetField === m.targetField)?.sourceField ?? null })) };
  },
});

export const FieldMapBody = Type.Object(
  {
    mappings: Type.Array(
      Type.Object(
        { targetField: enumOf(TARGET_FIELDS), sourceField: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$' }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: TARGET_FIELDS.length },
    ),
  },
  { additionalProperties: false },
);

export const updateFieldMapRoute = defineRoute({
  method: 'PUT',
  url: '/birth-verification/field-map',
  summary: '修改市妇幼接口字段映射（市级管理员）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.field-map',
  scope: 'city',
  body: FieldMapBody,
  response: { 200: FieldMapSaved },
  handler: async (ctx, { body }) => {
    const before = await loadFieldMap(ctx.tx);
    const merged = new Map(before.map((m) => [m.targetField, m.sourceField]));
    for (const m of body.mappings) merged.set(m.targetField, m.sourceField);
    const sources = [...merged.values()];
    const dup = sources.find((s, i) => sources.indexOf(s) !== i);
    if (dup) throw fieldError('mappings', `来源字段 ${dup} 被映射到多个本系统字段`);
    const after = await updateFieldMap(ctx.tx, body.mappings, ctx.principal.username);
    ctx.audit.write({ action: 'birth-verification.field-map.update', objectType: 'fp_mch_field_map', before, after });
    return { items: after };
  },
});
