import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import * as repo from './repository.ts';
import { DimensionList, SectionDefList } from './responses.ts';

const Code = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', maxLength: 40 });

export const DimensionsBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        { code: Code, title: Type.String({ minLength: 1, maxLength: 40 }), description: Type.Optional(Type.String({ maxLength: 200 })) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);

export const SectionsBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          code: Code,
          title: Type.String({ minLength: 1, maxLength: 30 }),
          aliases: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 20 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 40 },
    ),
  },
  { additionalProperties: false },
);

function noDuplicates(items: { code: string; title: string }[], field: string): void {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    for (const k of [`code:${it.code}`, `title:${it.title.trim()}`]) {
      if (seen.has(k))
        throw new AppError(400, 'VALIDATION_FAILED', '列表中有重复的代码或名称', [{ field: `${field}[${i}]`, message: `「${k.split(':')[1]}」重复` }]);
      seen.add(k);
    }
  });
}

/**
 * Replaces the active list of check dimensions (order = list order). A dimension left out is
 * deactivated, not deleted: concluded reviews keep pointing at it.
 */
export async function saveDimensions(ctx: ServiceContext, b: typeof DimensionsBody.static) {
  noDuplicates(b.items, 'items');
  const before = await repo.listDimensions(ctx.tx, true);
  for (const [i, d] of b.items.entries()) {
    await repo.upsertDimension(
      ctx.tx,
      { code: d.code, title: d.title.trim(), description: d.description?.trim() || null, sortOrder: i + 1, active: true },
      ctx.principal.username,
    );
  }
  await repo.deactivateDimensionsExcept(
    ctx.tx,
    b.items.map((d) => d.code),
    ctx.principal.username,
  );
  const after = await repo.listDimensions(ctx.tx, true);
  ctx.audit.write({ action: 'fee_review.dimensions.update', objectType: 'fr_dimension', before: before.map((d) => d.title), after: after.map((d) => d.title) });
  return after;
}

export async function saveSections(ctx: ServiceContext, b: typeof SectionsBody.static) {
  noDuplicates(b.items, 'items');
  const before = await repo.listSectionDefs(ctx.tx, true);
  for (const [i, d] of b.items.entries()) {
    const aliases = [...new Set((d.aliases ?? []).map((a) => a.trim()).filter((a) => a && a !== d.title.trim()))];
    await repo.upsertSectionDef(ctx.tx, { code: d.code, title: d.title.trim(), aliases, sortOrder: i + 1, active: true }, ctx.principal.username);
  }
  await repo.deactivateSectionDefsExcept(
    ctx.tx,
    b.items.map((d) => d.code),
    ctx.principal.username,
  );
  const after = await repo.listSectionDefs(ctx.tx, true);
  ctx.audit.write({ action: 'fee_review.sections.update', objectType: 'fr_section_def', before: before.map((d) => d.title), after: after.map((d) => d.title) });
  return after;
}

export const listDimensionsRoute = defineRoute({
  method: 'GET',
  url: '/fee-review/dimensions',
  summary: '费用偏离病例核查维度（启用的在前）',
  auth: 'staff',
  permission: 'fee-review.read',
  response: { 200: DimensionList },
  handler: (ctx) => repo.listDimensions(ctx.tx),
});

export const saveDimensionsRoute = defineRoute({
  method: 'PUT',
  url: '/fee-review/dimensions',
  summary: '维护核查维度（按列表顺序启用，未列出的停用）',
  auth: 'staff',
  permission: 'fee-review.configure',
  scope: 'city',
  body: DimensionsBody,
  response: { 200: DimensionList },
  handler: (ctx, { body }) => saveDimensions(ctx, body),
});

export const listSectionsRoute = defineRoute({
  method: 'GET',
  url: '/fee-review/sections',
  summary: '病历章节识别配置（标题与别名）',
  auth: 'staff',
  permission: 'fee-review.read',
  response: { 200: SectionDefList },
  handler: (ctx) => repo.listSectionDefs(ctx.tx),
});

export const saveSectionsRoute = defineRoute({
  method: 'PUT',
  url: '/fee-review/sections',
  summary: '维护病历章节识别配置（未列出的停用）',
  auth: 'staff',
  permission: 'fee-review.configure',
  scope: 'city',
  body: SectionsBody,
  response: { 200: SectionDefList },
  handler: (ctx, { body }) => saveSections(ctx, body),
});
