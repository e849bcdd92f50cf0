import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../../platform/http/errors.ts';
import { type AnyRoute, defineRoute } from '../../../platform/http/route.ts';
import { type ImportedConcept, type ImportMeta, importCodeTable, parseCodeCsv, parseFhirCodeSystem } from './import.ts';
import { parseIcd11Tabulation, parseRf2Snapshot, SNOMED_URL } from './import-formats.ts';
import { recommend } from './recommend/service.ts';
import * as repo from './repository.ts';
import { ImportResult, RecommendResult } from './responses.ts';

const enumOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

export const ImportBody = Type.Object(
  {
    format: enumOf(['csv', 'fhir', 'icd11', 'snomed-rf2'] as const),
    content: Type.String({
      minLength: 1,
      maxLength: 8_000_000,
      description:
        'CSV 文本（code,display[,parent]）、FHIR CodeSystem JSON、ICD-11 MMS SimpleTabulation（制表符分隔）或 SNOMED CT RF2 概念快照文件（请求体上限 10 MB）',
    }),
    descriptions: Type.Optional(Type.String({ minLength: 1, maxLength: 8_000_000, description: 'SNOMED CT RF2：描述快照文件（sct2_Description_Snapshot）' })),
    relationships: Type.Optional(Type.String({ minLength: 1, maxLength: 8_000_000, description: 'SNOMED CT RF2：关系快照文件（sct2_Relationship_Snapshot）' })),
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 300, pattern: '^(https?://|urn:)[^\\s]+$' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    publisher: Type.Optional(Type.String({ maxLength: 200 })),
    version: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9A-Za-z._+-]+$' })),
    extends: Type.Optional(
      Type.String({ minLength: 1, maxLength: 300, pattern: '^(https?://|urn:)[^\\s]+$', description: '本地扩展（如上海扩增码）所扩展的基础代码系统 URL' }),
    ),
  },
  { additionalProperties: false },
);

type ImportInput = typeof ImportBody.static;

/** Parses and imports in the caller's transaction: a change request in draft, or a refusal naming every bad line. */
export async function importFile(ctx: ServiceContext, b: ImportInput) {
  // An extension's CSV may name base codes as parents: known from the request, or from the existing system.
  const existing = b.url ? await repo.systemByUrl(ctx.tx, b.url) : undefined;
  const parentsElsewhere = b.extends !== undefined || (existing?.extendsId ?? null) !== null;
  let meta: Partial<ImportMeta> = {};
  let concepts: ImportedConcept[];
  if (b.format === 'csv') concepts = parseCodeCsv(b.content, { parentsElsewhere });
  else if (b.format === 'icd11') ({ meta, concepts } = parseIcd11Tabulation(b.content));
  else if (b.format === 'snomed-rf2') {
    const missing = [...(b.descriptions ? [] : ['descriptions']), ...(b.relationships ? [] : ['relationships'])];
    if (missing.length)
      throw new AppError(
        400,
        'VALIDATION_FAILED',
        'SNOMED CT RF2 须同时提供概念、描述、关系三个快照文件',
        missing.map((field) => ({ field, message: `须提供${field === 'descriptions' ? '描述' : '关系'}快照文件` })),
      );
    concepts = parseRf2Snapshot({ concept: b.content, description: b.descriptions ?? '', relationship: b.relationships ?? '' });
    meta = { url: SNOMED_URL, name: 'SNOMED_CT', title: 'SNOMED CT', publisher: 'SNOMED International' };
  } else ({ meta, concepts } = parseFhirCodeSystem(b.content));
  const url = b.url ?? meta.url;
  if (!url) throw new AppError(400, 'VALIDATION_FAILED', '须填写代码系统 URL', [{ field: 'url', message: '须填写代码系统 URL' }]);
  const title = b.title ?? meta.title ?? b.name ?? meta.name;
  if (!title) throw new AppError(400, 'VALIDATION_FAILED', '须填写代码系统名称', [{ field: 'title', message: '须填写代码系统名称' }]);
  const full: ImportMeta = {
    url,
    title,
    name: b.name ?? meta.name ?? title,
    publisher: b.publisher ?? meta.publisher ?? null,
    version: b.version ?? meta.version ?? null,
    ...(b.extends ? { extends: b.extends } : {}),
  };
  const r = await importCodeTable(ctx.tx, ctx.principal, full, concepts);
  ctx.audit.write({
    action: 'terminology.import',
    objectType: 'term_change_request',
    objectId: r.changeRequestId,
    after: { url, format: b.format, ...(b.extends ? { extends: b.extends } : {}), concepts: concepts.length, items: r.items, newSystem: r.created },
  });
  return { ...r, concepts: concepts.length };
}

export const importRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    url: '/terminology/import',
    summary: '导入代码表（CSV、FHIR CodeSystem、ICD-11 MMS SimpleTabulation、SNOMED CT RF2 快照）为待审核的变更申请；整表校验，出错时逐行说明且不写入',
    auth: 'staff',
    permission: 'terminology.edit',
    body: ImportBody,
    successStatus: 201,
    response: { 201: ImportResult },
    handler: (ctx, { body }) => importFile(ctx, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/terminology/recommend',
    summary: '编码推荐：自由文本（可附性别、年龄、科室）→ 按分值排序的代码及理由',
    auth: 'staff',
    permission: 'terminology.read',
    querystring: Type.Object({
      system: Type.String({ minLength: 1, maxLength: 300 }),
      text: Type.String({ minLength: 1, maxLength: 200 }),
      sex: Type.Optional(enumOf(['M', 'F'] as const)),
      age: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
      dept: Type.Optional(Type.String({ maxLength: 50 })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    }),
    response: { 200: RecommendResult },
    handler: (ctx, { query }) => recommend(ctx.tx, query),
  }),
];
