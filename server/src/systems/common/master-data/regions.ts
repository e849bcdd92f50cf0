import { Type } from '@sinclair/typebox';
import { defineRoute } from '../../../platform/http/route.ts';
import { listRegions } from './repository.ts';
import { enumOf } from '../../../platform/http/schema.ts';
import { RegionList } from './responses.ts';

export const regionRoutes = [
  defineRoute({
    method: 'GET',
    url: '/regions',
    summary: '行政区划（市、区、街镇、居委）',
    auth: 'staff',
    permission: 'master-data.read',
    querystring: Type.Object({
      level: Type.Optional(enumOf(['city', 'district', 'street', 'community'] as const)),
      parent: Type.Optional(Type.String({ pattern: '^\\d{6,12}$', maxLength: 12 })),
    }),
    response: { 200: RegionList },
    handler: async (ctx, { query }) => ({ items: await listRegions(ctx.tx, query) }),
  }),
];
