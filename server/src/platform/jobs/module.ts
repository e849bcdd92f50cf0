import { defineModule } from '../module.ts';
import { jobRoutes } from './routes.ts';

export const jobsModule = defineModule({
  name: 'platform.jobs',
  title: '任务调度',
  system: 'platform',
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'jobs.read', title: '查看任务与运行记录', roles: ['city_admin', 'district_admin', 'auditor'] },
    { code: 'jobs.manage', title: '管理任务调度', roles: ['city_admin'] },
  ],
  routes: jobRoutes,
  menu: [{ path: '/platform/jobs', title: '任务调度', permission: 'jobs.read', icon: 'ScheduleOutlined', order: 40 }],
});
