import { ROLES } from '../auth/roles.ts';
import { defineRoute } from '../http/route.ts';
import { SCOPE_LEVELS } from '../scope/scope.ts';
import { RolesAndScopes } from './responses.ts';

export const rolesRoute = defineRoute({
  method: 'GET',
  url: '/system/roles',
  summary: '角色与数据权限级别',
  tags: ['控制台'],
  auth: 'staff',
  noTransaction: true,
  response: { 200: RolesAndScopes },
  handler: async () => ({
    roles: Object.entries(ROLES).map(([code, name]) => ({ code, name })),
    scopeLevels: Object.entries(SCOPE_LEVELS).map(([code, name]) => ({ code, name })),
  }),
});
