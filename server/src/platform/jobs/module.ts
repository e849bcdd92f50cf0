import { defineModule } from '../module.ts';
import { ensureSchedules } from './registry.ts';
import { jobRoutes } from './routes.ts';
import { platformJobs } from './sample-jobs.ts';

export const jobsModule = defineModule({
  name: 'platform.jobs',
  title: '任务调度',
  system: 'platform',
  migrations: new URL('./migrations', import.meta.url).pathname,
  exports: ['job_run'],
  permissions: [
    { code: 'jobs.read', title: '查看任务与运行记录', roles: ['city_admin', 'district_admin', 'auditor'] },
    { code: 'jobs.manage', title: '管理任务调度', roles: ['city_admin'] },
  ],
  routes: jobRoutes,
  jobs: platformJobs,
  menu: [{ path: '/platform/jobs', title: '任务调度', permission: 'jobs.read', icon: 'ScheduleOutlined', order: 40 }],
  // Every module's job types get a schedule row (defaults on first start, admin edits kept after).
  onStart: async (kernel) => {
    await ensureSchedules(kernel.db, kernel);
  },
});
