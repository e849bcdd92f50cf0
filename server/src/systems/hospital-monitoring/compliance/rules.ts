import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { conflict, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { compileRule, describeRule } from '../../../platform/rules/index.ts';
import { Id, IdParams, pageOf, Paging } from '../../../platform/http/schema.ts';
import { CATEGORY_TITLE, type Category, complianceCatalog } from './catalog.ts';
import * as repo from './repository.ts';
import { actorOf, CategorySchema, checkedRule, RuleTreeSchema, toRule } from './shapes.ts';
import { ComplianceRule, RuleDetail, RuleList } from './responses.ts';

/** A rule as the API answers it (responses.ts). */
export type RuleView = ComplianceRule;

function view(r: repo.RuleRow, withSql: boolean): RuleView {
  const v: RuleView = {
    id: r.id,
    code: r.code,
    category: r.category,
    categoryTitle: CATEGORY_TITLE[r.category as Category],
    title: r.title,
    enabled: r.enabled,
    version: r.current_version,
    builtin: r.builtin,
    source: r.tree.source,
    sentence: r.sentence,
    rule: r.tree,
    createdBy: r.created_by,
    updatedAt: r.updated_at.toISOString(),
  };
  if (withSql) v.sql = compileRule(complianceCatalog, toRule(r.id, r.current_version, r.title, r.tree)).text;
  return v;
}

const isCityAdmin = (ctx: ServiceContext) => ctx.principal.role === 'city_admin' && ctx.principal.scope.level === 'city';

export const CreateBody = Type.Object(
  {
    category: CategorySchema,
    title: Type.String({ minLength: 1, maxLength: 100 }),
    enabled: Type.Optional(Type.Boolean()),
    rule: RuleTreeSchema,
  },
  { additionalProperties: false },
);

/** Creates a rule (version 1) after the type checker accepts it; the sentence is stored with the version. */
export async function createRule(ctx: ServiceContext, b: typeof CreateBody.static, opts: { code?: string; builtin?: boolean } = {}): Promise<RuleView> {
  const tree = b.rule as repo.RuleTree;
  const rule = checkedRule('new', 1, b.title, tree);
  const id = await repo.insertRule(ctx.tx, {
    code: opts.code ?? null,
    category: b.category,
    title: b.title.trim(),
    enabled: b.enabled ?? false,
    builtin: opts.builtin ?? false,
    createdBy: actorOf(ctx.principal),
  });
  await repo.insertVersion(ctx.tx, id, 1, tree, describeRule(complianceCatalog, rule), actorOf(ctx.principal));
  ctx.audit.write({ action: 'compliance.rule.create', objectType: 'cm_rule', objectId: id, after: { category: b.category, title: b.title, rule: tree } });
  return view((await repo.findRule(ctx.tx, id))!, false);
}

export const VersionBody = Type.Object(
  { title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), rule: RuleTreeSchema },
  { additionalProperties: false },
);

/** A new version becomes current; earlier versions stay (findings name the version that found them). */
export async function newVersion(ctx: ServiceContext, id: number, b: typeof VersionBody.static): Promise<RuleView> {
  const current = await repo.findRule(ctx.tx, id, true);
  if (!current) throw notFound('规则不存在');
  const version = current.current_version + 1;
  const title = b.title?.trim() ?? current.title;
  const tree = b.rule as repo.RuleTree;
  const rule = checkedRule(id, version, title, tree);
  await repo.insertVersion(ctx.tx, id, version, tree, describeRule(complianceCatalog, rule), actorOf(ctx.principal));
  await repo.setCurrentVersion(ctx.tx, id, version, title);
  ctx.audit.write({
    action: 'compliance.rule.version',
    objectType: 'cm_rule',
    objectId: id,
    before: { version: current.current_version, rule: current.tree },
    after: { version, rule: tree },
  });
  return view((await repo.findRule(ctx.tx, id))!, isCityAdmin(ctx));
}

export async function setRuleEnabled(ctx: ServiceContext, id: number, enabled: boolean): Promise<RuleView> {
  const current = await repo.findRule(ctx.tx, id, true);
  if (!current) throw notFound('规则不存在');
  if (current.enabled === enabled) throw conflict(enabled ? '规则已启用' : '规则已停用');
  await repo.setEnabled(ctx.tx, id, enabled);
  ctx.audit.write({
    action: enabled ? 'compliance.rule.enable' : 'compliance.rule.disable',
    objectType: 'cm_rule',
    objectId: id,
    before: { enabled: !enabled },
    after: { enabled },
  });
  return view((await repo.findRule(ctx.tx, id))!, isCityAdmin(ctx));
}

export const ListQuery = Type.Object(
  { category: Type.Optional(CategorySchema), enabled: Type.Optional(Type.Boolean()), ...Paging },
  { additionalProperties: false },
);

export async function listRules(ctx: ServiceContext, q: typeof ListQuery.static) {
  const { rows, total } = await repo.listRules(ctx.tx, { category: q.category, enabled: q.enabled }, pageOf(q));
  return { items: rows.map((r) => view(r, false)), total };
}

export async function getRule(ctx: ServiceContext, id: number) {
  const r = await repo.findRule(ctx.tx, id);
  if (!r) throw notFound('规则不存在');
  const versions = await repo.listVersions(ctx.tx, id);
  return {
    ...view(r, isCityAdmin(ctx)),
    versions: versions.map((v) => ({ version: v.version, sentence: v.sentence, createdBy: v.created_by, createdAt: v.created_at.toISOString() })),
  };
}

export const createRuleRoute = defineRoute({
  method: 'POST',
  url: '/compliance/rules',
  summary: '新建监测规则（类型检查，返回中文描述）',
  auth: 'staff',
  permission: 'compliance.manage',
  scope: 'city',
  body: CreateBody,
  successStatus: 201,
  response: { 201: ComplianceRule },
  handler: (ctx, { body }) => {
    return createRule(ctx, body);
  },
});

export const newVersionRoute = defineRoute({
  method: 'POST',
  url: '/compliance/rules/:id/versions',
  summary: '保存监测规则的新版本',
  auth: 'staff',
  permission: 'compliance.manage',
  scope: 'city',
  params: IdParams,
  body: VersionBody,
  response: { 200: ComplianceRule },
  handler: (ctx, { params, body }) => {
    return newVersion(ctx, params.id, body);
  },
});

const toggle = (enabled: boolean) =>
  defineRoute({
    method: 'POST',
    url: `/compliance/rules/:id/${enabled ? 'enable' : 'disable'}`,
    summary: enabled ? '启用监测规则' : '停用监测规则',
    auth: 'staff',
    permission: 'compliance.manage',
    scope: 'city',
    params: IdParams,
    response: { 200: ComplianceRule },
    handler: (ctx, { params }) => {
      return setRuleEnabled(ctx, params.id, enabled);
    },
  });
export const enableRuleRoute = toggle(true);
export const disableRuleRoute = toggle(false);

export const listRulesRoute = defineRoute({
  method: 'GET',
  url: '/compliance/rules',
  summary: '监测规则列表（含中文描述）',
  auth: 'staff',
  permission: 'compliance.read',
  querystring: ListQuery,
  response: { 200: RuleList },
  handler: (ctx, { query }) => listRules(ctx, query),
});

export const getRuleRoute = defineRoute({
  method: 'GET',
  url: '/compliance/rules/:id',
  summary: '监测规则详情（版本、中文描述；市级管理员可见 SQL）',
  auth: 'staff',
  permission: 'compliance.read',
  params: Type.Object({ id: Id }, { additionalProperties: false }),
  response: { 200: RuleDetail },
  handler: (ctx, { params }) => getRule(ctx, params.id),
});
