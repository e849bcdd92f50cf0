import { Type } from '@sinclair/typebox';
import { type AnyRoute, defineRoute } from '../../../platform/http/route.ts';
import { changeRequestRoutes } from './change-requests.ts';
import { diffVersions } from './changes.ts';
import { importRoutes } from './import-routes.ts';
import { termError } from './errors.ts';
import { contentHash } from './model.ts';
import * as repo from './repository.ts';
import { BrowseResult, ConceptDetail, Diff, SearchResult, SystemList, Timeline, VersionCheck, VersionList } from './responses.ts';
import * as svc from './service.ts';

const Url = Type.String({ minLength: 1, maxLength: 300, description: '代码系统 URL' });
const FhirDate = Type.String({ format: 'date' });
const Version = Type.String({ minLength: 1, maxLength: 40 });
const ver = { version: Type.Optional(Version), date: Type.Optional(FhirDate) };
const Named = Type.Object({ code: Type.String(), display: Type.String() });

export const readRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    url: '/terminology/systems',
    summary: '代码系统列表（含当前版本）',
    auth: 'staff',
    permission: 'terminology.read',
    response: { 200: SystemList },
    handler: async (ctx) => {
      const systems = await repo.listSystems(ctx.tx);
      const items = [];
      for (const s of systems) items.push({ ...s, current: (await repo.findVersion(ctx.tx, s.id)) ?? null });
      return { items, maps: await repo.listMaps(ctx.tx) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/terminology/browse',
    summary: '按层级浏览代码（根或某代码的下级）',
    auth: 'staff',
    permission: 'terminology.read',
    querystring: Type.Object({ system: Url, parent: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), ...ver }),
    response: { 200: BrowseResult },
    handler: (ctx, { query }) => svc.browse(ctx.tx, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/terminology/search',
    summary: '检索代码（代码前缀、词语、同义词、拼音全拼与首字母）',
    auth: 'staff',
    permission: 'terminology.read',
    querystring: Type.Object({
      system: Url,
      q: Type.String({ minLength: 1, maxLength: 100 }),
      offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
      includeRetired: Type.Optional(Type.Boolean()),
      ...ver,
    }),
    response: { 200: SearchResult },
    handler: (ctx, { query }) => svc.search(ctx.tx, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/terminology/concept',
    summary: '代码详情（名称、同义词、拼音、上下级、映射、变更历史）',
    auth: 'staff',
    permission: 'terminology.read',
    querystring: Type.Object({ system: Url, code: Type.String({ minLength: 1, maxLength: 64 }), ...ver }),
    response: { 200: ConceptDetail },
    handler: async (ctx, { query }) => {
      const c = await svc.lookup(ctx.tx, query);
      const s = (await repo.systemByUrl(ctx.tx, query.system)) as repo.SystemRow;
      return { ...c, maps: await repo.mapsOfConcept(ctx.tx, s.url, c.code), history: await repo.changesOf(ctx.tx, s.id, { code: c.code, limit: 100 }) };
    },
  }),
];

async function systemOr404(tx: Parameters<typeof repo.systemByUrl>[0], url: string) {
  const s = await repo.systemByUrl(tx, url);
  if (!s) throw termError(404, 'not-found', `未知的代码系统：${url}`, 'system');
  return s;
}

export const versionRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    url: '/terminology/versions',
    summary: '代码系统的版本（发布时间、发布人、概念数、SM3 内容摘要）',
    auth: 'staff',
    permission: 'terminology.read',
    querystring: Type.Object({ system: Url }),
    response: { 200: VersionList },
    handler: async (ctx, { query }) => ({ items: await repo.listVersions(ctx.tx, (await systemOr404(ctx.tx, query.system)).id) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/terminology/versions/verify',
    summary: '重算某版本的内容摘要并与发布时的 SM3 摘要比对',
    auth: 'staff',
    permission: 'terminology.read',
    querystring: Type.Object({ system: Url, version: Version }),
    response: { 200: VersionCheck },
    handler: async (ctx, { query }) => {
      const s = await systemOr404(ctx.tx, query.system);
      const v = await repo.findVersion(ctx.tx, s.id, { version: query.version });
      if (!v) throw termError(404, 'not-found', `没有版本 ${query.version}`, 'version');
      const { hash, count } = contentHash(await repo.conceptsAt(ctx.tx, s.id, v.seq));
      return { version: v.version, stored: v.contentHash, computed: hash, ok: hash === v.contentHash, count };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/terminology/diff',
    summary: '两个版本之间的差异（新增、停用、改名、移动、同义词）',
    auth: 'staff',
    permission: 'terminology.read',
    querystring: Type.Object({ system: Url, from: Version, to: Type.Optional(Version) }),
    response: { 200: Diff },
    handler: async (ctx, { query }) => {
      const s = await systemOr404(ctx.tx, query.system);
      const a = await repo.findVersion(ctx.tx, s.id, { version: query.from });
      const b = await repo.findVersion(ctx.tx, s.id, query.to ? { version: query.to } : {});
      if (!a) throw termError(404, 'not-found', `没有版本 ${query.from}`, 'from');
      if (!b) throw termError(404, 'not-found', `没有版本 ${query.to}`, 'to');
      return { from: a.version, to: b.version, items: await diffVersions(ctx.tx, s.id, a.seq, b.seq) };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/terminology/timeline',
    summary: '变更时间线（每一处变更：时间、作者、类型、前后内容）',
    auth: 'staff',
    permission: 'terminology.read',
    querystring: Type.Object({
      system: Url,
      code: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    }),
    response: { 200: Timeline },
    handler: async (ctx, { query }) => ({
      items: await repo.changesOf(ctx.tx, (await systemOr404(ctx.tx, query.system)).id, { code: query.code, limit: query.limit }),
    }),
  }),
];

export const consoleRoutes: AnyRoute[] = [...readRoutes, ...versionRoutes, ...changeRequestRoutes, ...importRoutes];
