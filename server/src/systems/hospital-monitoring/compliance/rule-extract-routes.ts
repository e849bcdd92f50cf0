import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { decodeBase64File, extractText, MAX_DOCUMENT_BYTES } from '../../../platform/documents/index.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf } from '../../../platform/http/schema.ts';
import { createRule } from './rules.ts';
import { extractCandidates, type RuleExtractor } from './rule-extract.ts';
import { builtinExtractor } from './rule-extract-builtin.ts';
import { llmConfigFromEnv, llmExtractor } from './rule-extract-llm.ts';
import { CategorySchema, RuleTreeSchema } from './shapes.ts';
import { ComplianceRule, ExtractorList, ExtractResult } from './responses.ts';

/** The extractors on offer: the built-in one always, the model only when configured. */
export function availableExtractors(env: NodeJS.ProcessEnv = process.env): RuleExtractor[] {
  const llm = llmConfigFromEnv(env);
  return llm ? [builtinExtractor, llmExtractor(llm)] : [builtinExtractor];
}

export const ExtractBody = Type.Object(
  {
    filename: Type.String({ minLength: 1, maxLength: 200 }),
    /** The file, base64 (a data: URL prefix is accepted). */
    contentBase64: Type.String({ minLength: 1, maxLength: Math.ceil((MAX_DOCUMENT_BYTES * 4) / 3) + 100 }),
    extractor: Type.Optional(enumOf(['builtin', 'llm'] as const)),
  },
  { additionalProperties: false },
);

/** Reads the document and proposes candidates; stores nothing. */
export async function extractFromDocument(b: typeof ExtractBody.static, env: NodeJS.ProcessEnv = process.env) {
  const extractor = availableExtractors(env).find((e) => e.name === (b.extractor ?? 'builtin'));
  if (!extractor)
    throw new AppError(400, 'VALIDATION_FAILED', '未配置大模型服务（WEIJIAN_LLM_BASE_URL），请使用内置识别', [
      { field: 'extractor', message: '未配置大模型服务' },
    ]);
  const doc = await extractText(decodeBase64File(b.contentBase64), b.filename);
  if (!doc.text.trim())
    throw new AppError(400, 'NO_TEXT', '文件中没有可识别的文字（扫描件请先进行文字识别）', [{ field: 'contentBase64', message: '文件中没有可识别的文字' }]);
  const { sentences, candidates } = await extractCandidates(extractor, doc.text);
  return {
    document: { filename: b.filename, kind: doc.kind, pageCount: doc.pages?.length ?? null, chars: doc.text.length, sentenceCount: sentences.length },
    extractor: { name: extractor.name, title: extractor.title },
    candidates,
  };
}

export const ConfirmBody = Type.Object(
  {
    category: CategorySchema,
    title: Type.String({ minLength: 1, maxLength: 100 }),
    rule: RuleTreeSchema,
    source: Type.Optional(
      Type.Object(
        {
          filename: Type.String({ minLength: 1, maxLength: 200 }),
          sentence: Type.String({ minLength: 1, maxLength: 2000 }),
          extractor: Type.Optional(Type.String({ maxLength: 40 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** A confirmed (possibly edited) candidate becomes a disabled draft through the ordinary rule-create service. */
export async function confirmCandidate(ctx: ServiceContext, b: typeof ConfirmBody.static) {
  const created = await createRule(ctx, { category: b.category, title: b.title, enabled: false, rule: b.rule });
  if (b.source) {
    ctx.audit.write({
      action: 'compliance.rule.from-document',
      objectType: 'cm_rule',
      objectId: created.id,
      after: { filename: b.source.filename, sentence: b.source.sentence, extractor: b.source.extractor ?? null },
    });
  }
  return created;
}

export const listExtractorsRoute = defineRoute({
  method: 'GET',
  url: '/compliance/rule-extract/extractors',
  summary: '可用的政策文件规则识别方式（内置模式识别；配置后可用大模型）',
  auth: 'staff',
  permission: 'compliance.manage',
  response: { 200: ExtractorList },
  handler: async () => availableExtractors().map((e, i) => ({ name: e.name, title: e.title, default: i === 0 })),
});

export const extractRulesRoute = defineRoute({
  method: 'POST',
  url: '/compliance/rule-extract',
  summary: '上传政策文件（PDF/DOCX/TXT，Base64），提取文字并识别候选规则（不保存）',
  auth: 'staff',
  permission: 'compliance.manage',
  scope: 'city',
  body: ExtractBody,
  // Parsing a document can take a while and reads or writes no table: it runs outside a database
  // transaction so the (single-connection) embedded database is not held meanwhile.
  noTransaction: true,
  response: { 200: ExtractResult },
  handler: async (_ctx, { body }) => {
    return extractFromDocument(body);
  },
});

export const confirmCandidateRoute = defineRoute({
  method: 'POST',
  url: '/compliance/rule-extract/confirm',
  summary: '确认（可修改）候选规则，生成未启用的草稿规则',
  auth: 'staff',
  permission: 'compliance.manage',
  scope: 'city',
  body: ConfirmBody,
  successStatus: 201,
  response: { 201: ComplianceRule },
  handler: (ctx, { body }) => {
    return confirmCandidate(ctx, body);
  },
});
