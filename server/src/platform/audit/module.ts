import { defineModule } from '../module.ts';
import { anchorPath, checkAnchorLocation } from './anchor.ts';
import { auditJobs } from './jobs.ts';
import { auditRoutes } from './routes.ts';
import { witnessAdapter } from './witness.ts';

export const auditModule = defineModule({
  name: 'platform.audit',
  title: '审计日志',
  system: 'platform',
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'audit.read', title: '查看审计日志', roles: ['auditor', 'city_admin', 'district_admin'] },
    { code: 'audit.verify', title: '校验审计链', roles: ['auditor', 'city_admin'] },
  ],
  routes: auditRoutes,
  jobs: auditJobs,
  adapters: [witnessAdapter],
  async onStart(kernel) {
    const file = anchorPath(kernel);
    if (file) checkAnchorLocation(file, kernel.config.dataDir);
  },
  menu: [{ path: '/platform/audit', title: '审计日志', permission: 'audit.read', icon: 'AuditOutlined', order: 30 }],
});
