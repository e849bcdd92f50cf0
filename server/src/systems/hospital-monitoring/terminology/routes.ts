import { Type } from '@sinclair/typebox';
import { type AnyRoute, defineRoute } from '../../../platform/http/route.ts';
import * as repo from './repository.ts';
import * as svc from './service.ts';

const Url = Type.String({ minLength: 1, maxLength: 300, description: '代码系统 URL' });
const FhirDate = Type.String({ format: 'date' });
const Version = Type.String({ minLength: 1, maxLength: 40 });
const ver = { version: Type.Optional(Version), date: Type.Optional(FhirDate) };
const Open = Type.Object({}, { additionalProperties: true });
const Named = Type.Object({ code: Type.String(), display: Type.String() });

export const readRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    url: '/terminology/systems',
    summary: '代码系统列表（含当前版本）',
    auth: 'staff',
    permission: 'terminology.read',
    response: { 200: Type.Object({ items: Type.Array(Open), maps: Type.Array(Open) }) },
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
    response: { 200: Type.Object({ system: Type.String(), version: Type.String(), items: Type.Array(Type.Object({ code: Type.String(), display: Type.String(), status: Type.String(), kind: Type.String(), hasChildren: Type.Boolean() })) }) },
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
    response: {
      200: Type.Object({
        system: Type.String(),
        version: Type.String(),
        total: Type.Integer(),
        hits: Type.Array(Type.Object({ code: Type.String(), display: Type.String(), status: Type.String(), score: Type.Number(), matchedBy: Type.String(), path: Type.Array(Named) })),
      }),
    },
    handler: (ctx, { query }) => svc.search(ctx.tx, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/terminology/concept',
    summary: '代码详情（名称、同义词、拼音、上下级、映射、变更历史）',
    auth: 'staff',
    permission: 'terminology.read',
    querystring: Type.Object({ system: Url, code: Type.String({ minLength: 1, maxLength: 64 }), ...ver }),
    response: { 200: Open },
    handler: async (ctx, { query }) => {
      const c = await svc.lookup(ctx.tx, query);
      const s = (await repo.systemByUrl(ctx.tx, query.system)) as repo.SystemRow;
      return { ...c, maps: await repo.mapsOfConcept(ctx.tx, s.url, c.code), history: await repo.changesOf(ctx.tx, s.id, { code: c.code, limit: 100 }) };
    },
  }),
];

export const consoleRoutes: AnyRoute[] = [...readRoutes];
