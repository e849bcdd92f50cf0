import { ADMIN_ROLES } from './roles.ts';
import { defineModule } from '../module.ts';
import { authJobs } from './jobs.ts';
import { authRoutes } from './routes.ts';
import { useScopeLocator } from './scope-directory.ts';
import { useScopeNames } from './scope-label.ts';
import { startSessionCache } from './session-cache.ts';
import { userRoutes } from './users/routes.ts';

export const authModule = defineModule({
  name: 'platform.auth',
  title: '用户与登录',
  system: 'platform',
  migrations: new URL('./migrations', import.meta.url).pathname,
  exports: ['app_user'],
  permissions: [
    { code: 'auth.users.manage', title: '用户与角色管理', roles: ADMIN_ROLES },
    { code: 'auth.api-clients.manage', title: '合作系统接入管理', roles: ['city_admin'] },
  ],
  routes: [...authRoutes, ...userRoutes],
  jobs: authJobs,
  // Cached session look-ups hear other processes' sign-outs and account changes (LISTEN weijian_auth).
  onStart: async (kernel) => {
    useScopeNames(kernel.modules.find((m) => m.scopeNames)?.scopeNames ?? null);
    useScopeLocator(kernel.modules.find((m) => m.scopeLocator)?.scopeLocator ?? null);
    await startSessionCache(kernel);
  },
  menu: [
    { path: '/platform/users', title: '用户与角色', permission: 'auth.users.manage', icon: 'TeamOutlined', order: 10 },
    { path: '/platform/api-clients', title: '合作系统接入', permission: 'auth.api-clients.manage', icon: 'ApiOutlined', order: 20 },
  ],
});
