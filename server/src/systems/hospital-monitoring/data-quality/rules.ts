import type { ServiceContext } from '../../../platform/service-context.ts';
import { conflict, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { IdParams } from '../../../platform/http/schema.ts';
import { checkedRule, type DqRuleInput, KIND_TITLE, type DqKind, RuleBody, SEVERITY_TITLE, sentenceOf } from './definition.ts';
import * as repo from './repository.ts';
import { DqRule, DqRuleList } from './responses.ts';

export const ruleView = (r: repo.DqRuleRow): DqRule => ({
  id: r.id,
  code: r.code,
  kind: r.kind as DqKind,
  kindTitle: KIND_TITLE[r.kind as DqKind],
  title: r.title,
  source: r.source,
  field: r.field,
  sentence: r.sentence,
  suggestion: r.suggestion,
  severity: r.severity as DqRule['severity'],
  severityTitle: SEVERITY_TITLE[r.severity] ?? r.severity,
  enabled: r.enabled,
  version: r.version,
  builtin: r.builtin,
  definition: r.definition,
  updatedAt: r.updated_at.toISOString(),
});

export async function createDqRule(ctx: ServiceContext, b: DqRuleInput, opts: { code?: string; builtin?: boolean } = {}) {
  const rule = checkedRule(b);
  const sentence = sentenceOf(b, rule);
  const id = await repo.insertRule(ctx.tx, {
    code: opts.code ?? null,
    kind: b.kind,
    title: b.title.trim(),
    source: b.source,
    field: b.field,
    definition: b.definition,
    sentence,
    suggestion: b.suggestion.trim(),
    severity: b.severity,
    builtin: opts.builtin ?? false,
    createdBy: ctx.principal.username,
  });
  ctx.audit.write({ action: 'data-quality.rule.create', objectType: 'dq_rule', objectId: id, after: { ...b, sentence } });
  return ruleView((await repo.findRule(ctx.tx, id))!);
}

export const listRulesRoute = defineRoute({
  method: 'GET',
  url: '/data-quality/rules',
  summary: '数据质量规则（完整性、规范性、逻辑性、关联性）',
  auth: 'staff',
  permission: 'data-quality.read',
  response: { 200: DqRuleList },
  handler: async (ctx) => ({ items: (await repo.listRules(ctx.tx)).map(ruleView) }),
});

export const createRuleRoute = defineRoute({
  method: 'POST',
  url: '/data-quality/rules',
  summary: '新建数据质量规则（规则引擎类型检查，返回中文描述）',
  auth: 'staff',
  permission: 'data-quality.manage',
  scope: 'city',
  body: RuleBody,
  successStatus: 201,
  response: { 201: DqRule },
  handler: (ctx, { body }) => {
    return createDqRule(ctx, body as DqRuleInput);
  },
});

const toggle = (enabled: boolean) =>
  defineRoute({
    method: 'POST',
    url: `/data-quality/rules/:id/${enabled ? 'enable' : 'disable'}`,
    summary: enabled ? '启用数据质量规则' : '停用数据质量规则',
    auth: 'staff',
    permission: 'data-quality.manage',
    scope: 'city',
    params: IdParams,
    response: { 200: DqRule },
    handler: async (ctx, { params }) => {
      const r = await repo.findRule(ctx.tx, params.id, true);
      if (!r) throw notFound('规则不存在');
      if (r.enabled === enabled) throw conflict(enabled ? '规则已启用' : '规则已停用');
      await repo.setEnabled(ctx.tx, params.id, enabled);
      ctx.audit.write({
        action: `data-quality.rule.${enabled ? 'enable' : 'disable'}`,
        objectType: 'dq_rule',
        objectId: params.id,
        before: { enabled: !enabled },
        after: { enabled },
      });
      return ruleView((await repo.findRule(ctx.tx, params.id))!);
    },
  });

export const enableRuleRoute = toggle(true);
export const disableRuleRoute = toggle(false);
