import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { SYSTEM_PRINCIPAL } from '../../../platform/auth/principal.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enqueueJobOnce } from '../../../platform/jobs/enqueue.ts';
import type { JobDef } from '../../../platform/jobs/types.ts';
import { describeRule } from '../../../platform/rules/index.ts';
import { DistrictCode } from '../../common/master-data/schema.ts';
import { insertRefresh, lastRefresh, loadChangePolicy, tagCounts } from './repository.ts';
import { KEY_POPULATIONS, keyPopulationCatalog, TAG_TITLE, TAGS, tagRule } from './rules.ts';
import { refreshTags } from './service.ts';
import { RefreshQueued, type TagRule, TagRules } from './responses.ts';

export type TagRuleDto = TagRule;

/** 标签规则: every tag's rule as a Chinese sentence and as its tree, with the residents carrying it in the caller's scope. */
export async function listTagRules(ctx: ServiceContext, district?: string): Promise<{ rules: TagRuleDto[]; lastRefresh: unknown }> {
  const policy = await loadChangePolicy(ctx.tx);
  const counts = await tagCounts(ctx.tx, district);
  return {
    rules: TAGS.map((tag) => {
      const rule = tagRule(tag, policy);
      return {
        tag,
        title: TAG_TITLE[tag],
        keyPopulation: KEY_POPULATIONS.includes(tag),
        sentence: describeRule(keyPopulationCatalog, rule),
        rule,
        residents: counts.get(tag) ?? 0,
      };
    }),
    lastRefresh: await lastRefresh(ctx.tx),
  };
}

export const tagRulesRoute = defineRoute({
  method: 'GET',
  url: '/key-populations/rules',
  summary: '重点人群标签规则',
  description: '每个标签的规则（中文描述与规则树）及当前数据权限范围内带该标签的居民数。',
  auth: 'staff',
  permission: 'key-populations.read',
  querystring: Type.Object({ district: Type.Optional(DistrictCode) }, { additionalProperties: false }),
  response: { 200: TagRules },
  handler: (ctx, { query }) => listTagRules(ctx, query.district),
});

export const REFRESH_JOB = 'key-populations.refresh';

/** Nightly: ages move every day and registrations end, so every tag is recomputed for the whole city. */
export const refreshJob: JobDef = {
  name: REFRESH_JOB,
  title: '重点人群标签刷新',
  defaultCron: '15 1 * * *',
  defaultEnabled: true,
  retries: 2,
  backoffSeconds: 120,
  async handler(ctx, payload) {
    const today = typeof payload.today === 'string' ? payload.today : undefined;
    const r = await ctx.transaction(async (tx) => {
      const res = await refreshTags(tx, { today, runKey: `run${ctx.runId}` });
      await insertRefresh(tx, { on_date: res.onDate, trigger: 'job', added: res.added, removed: res.removed, detail: res.byTag });
      return res;
    });
    await ctx.log(`标签刷新完成：新增 ${r.added}，移除 ${r.removed}，推送健康云消息 ${r.messages} 条`);
    return r;
  },
};

export const refreshRoute = defineRoute({
  method: 'POST',
  url: '/key-populations/refresh',
  summary: '立即刷新重点人群标签',
  description: '排队一次全市标签刷新任务（与每日定时任务相同）。',
  auth: 'staff',
  permission: 'key-populations.refresh',
  action: 'key-populations.refresh',
  successStatus: 202,
  response: { 202: RefreshQueued },
  handler: async (ctx) => enqueueJobOnce(ctx.tx, REFRESH_JOB, {}, 'manual', ctx.principal.username ?? SYSTEM_PRINCIPAL.username),
});
