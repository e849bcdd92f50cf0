import { Type } from '@sinclair/typebox';
import { forbidden } from '../../http/errors.ts';
import { defineRoute } from '../../http/route.ts';
import { apiClientView, clientInsideScope, createApiClient, listApiClients, setApiClientDisabled } from './api-client-service.ts';
import { PageQuery } from './schemas.ts';
import { ApiClient, ApiClientCreated, ApiClientPage } from '../responses.ts';

const common = { auth: 'staff' as const, permission: 'auth.api-clients.manage', tags: ['合作系统接入'] };

export const listApiClientsRoute = defineRoute({
  ...common,
  method: 'GET',
  url: '/api-clients',
  summary: '合作系统列表（不含密钥）',
  querystring: Type.Object(PageQuery, { additionalProperties: false }),
  response: { 200: ApiClientPage },
  handler: async (ctx, { query }) => {
    const { rows, total } = await listApiClients(ctx.tx, ctx.principal.scope, query.page, query.pageSize);
    return { items: rows.map(apiClientView), total };
  },
});

const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, description: '合作系统名称' }),
    permissions: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50, uniqueItems: true, description: '授予的权限代码' }),
    scope: Type.Object(
      {
        level: Type.Unsafe<'city' | 'district'>({ type: 'string', enum: ['city', 'district'], description: '数据权限级别' }),
        districtCode: Type.Optional(Type.Unsafe<string | null>({ type: 'string', nullable: true, format: 'district-code', maxLength: 6 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const createApiClientRoute = defineRoute({
  ...common,
  method: 'POST',
  url: '/api-clients',
  summary: '登记合作系统（返回一次性密钥）',
  description: '返回的 secret 只显示这一次，请妥善交付合作方；签名方法见 docs/security.md。',
  body: CreateBody,
  successStatus: 201,
  response: { 201: ApiClientCreated },
  handler: async (ctx, { body }) => {
    if (!clientInsideScope(ctx.principal.scope, body.scope)) throw forbidden('只能登记本人数据权限范围内的合作系统');
    const known = new Set(ctx.kernel.permissions.map((p) => p.code));
    const { row, secret } = await createApiClient(ctx.tx, ctx.kernel.keys, known, body);
    ctx.audit.add({ kind: 'admin', action: 'api_client.create', objectType: 'api_client', objectId: row.client_id, after: apiClientView(row) });
    return { ...apiClientView(row), clientId: row.client_id, secret };
  },
});

function toggleRoute(disabled: boolean) {
  return defineRoute({
    ...common,
    method: 'POST',
    url: `/api-clients/:clientId/${disabled ? 'disable' : 'enable'}`,
    summary: disabled ? '停用合作系统' : '启用合作系统',
    params: Type.Object({ clientId: Type.String({ minLength: 1, maxLength: 64 }) }),
    response: { 200: ApiClient },
    handler: async (ctx, { params }) => {
      const { before, after } = await setApiClientDisabled(ctx.tx, ctx.principal.scope, params.clientId, disabled);
      ctx.audit.add({
        kind: 'admin',
        action: disabled ? 'api_client.disable' : 'api_client.enable',
        objectType: 'api_client',
        objectId: after.client_id,
        before: apiClientView(before),
        after: apiClientView(after),
      });
      return apiClientView(after);
    },
  });
}

export const disableApiClientRoute = toggleRoute(true);
export const enableApiClientRoute = toggleRoute(false);
