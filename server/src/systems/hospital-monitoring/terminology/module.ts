import { ALL_ROLES } from '../../../platform/auth/roles.ts';
import { defineModule } from '../../../platform/module.ts';
import { fhirRoutes } from './fhir.ts';
import { consoleRoutes } from './routes.ts';
import { loadShipped } from './shipped.ts';

export const terminologyModule = defineModule({
  name: 'hospital-monitoring.terminology',
  title: '术语与分类代码',
  system: 'hospital-monitoring',
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'terminology.read', title: '查询术语与分类代码', roles: ALL_ROLES },
    { code: 'terminology.edit', title: '起草、提交代码变更与导入代码表', roles: ['city_admin', 'shenkang_admin'] },
    // Approves, rejects and publishes; never one's own request (checked in change-requests.ts).
    { code: 'terminology.review', title: '审核、发布代码变更', roles: ['city_admin', 'shenkang_admin', 'expert'] },
    // Granted to partner systems (API keys) only: hospital HIS/EMR calling the FHIR terminology operations.
    { code: 'terminology.fhir', title: '术语服务 FHIR 接口（合作系统）', roles: [] },
  ],
  routes: [...consoleRoutes, ...fhirRoutes],
  menu: [{ path: '/hospital-monitoring/terminology', title: '术语与分类代码', permission: 'terminology.read', icon: 'BookOutlined', order: 90 }],
  // The national ICD-10 / ICD-9-CM-3 医保版 tables and the 国家临床版 → 医保版 maps (idempotent, COPY).
  onStart: async (kernel) => {
    const loaded = await loadShipped(kernel.db);
    if (loaded.length) kernel.log.info({ loaded }, 'terminology: shipped code tables loaded');
  },
});
