import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../../platform/http/route.ts';
import { compileCount, compileRule, describeRule, rb, type Rule } from '../../../platform/rules/index.ts';
import { complianceCatalog, DATE_FIELD, type FindingSource } from './catalog.ts';
import * as repo from './repository.ts';
import { checkedRule, RuleTreeSchema } from './shapes.ts';
import { Preview } from './responses.ts';

export const PREVIEW_DAYS = 90;
export const PREVIEW_SAMPLES = 10;

export const PreviewBody = Type.Object(
  { title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), rule: RuleTreeSchema },
  { additionalProperties: false },
);

/**
 * Before a rule is saved or enabled: its sentence, the number of hits over the last 90 days of data
 * (up to the newest record of its source) and the first 10 hits in context — under the caller's scope.
 */
export async function previewRule(ctx: ServiceContext, b: typeof PreviewBody.static) {
  const tree = b.rule as repo.RuleTree;
  const rule = checkedRule('preview', 1, b.title ?? '预览', tree);
  const source = tree.source as FindingSource;
  const latest = await repo.latestDate(ctx.tx, source);
  const sentence = describeRule(complianceCatalog, rule);
  if (!latest) return { sentence, window: null, total: 0, samples: [] };
  const from = addDays(latest, -(PREVIEW_DAYS - 1));
  const dateField = rb.ref(DATE_FIELD[source]);
  const recent: Rule = { ...rule, when: rb.and(rule.when, rb.between(dateField, rb.date(from), rb.date(latest))) };
  const count = compileCount(complianceCatalog, recent);
  const { n } = (await ctx.tx.query<{ n: number }>(count.text, count.params))[0]!;
  const samples = await repo.previewRows(ctx.tx, source, compileRule(complianceCatalog, recent, { limit: PREVIEW_SAMPLES }));
  return { sentence, window: { from, to: latest }, total: Number(n), samples };
}

function addDays(d: string, n: number): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

export const previewRoute = defineRoute({
  method: 'POST',
  url: '/compliance/rules/preview',
  summary: '预览监测规则（近 90 天命中数与样例）',
  auth: 'staff',
  permission: 'compliance.manage',
  scope: 'city',
  body: PreviewBody,
  response: { 200: Preview },
  handler: (ctx, { body }) => {
    return previewRule(ctx, body);
  },
});
