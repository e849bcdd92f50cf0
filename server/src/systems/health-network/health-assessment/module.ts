import { defineModule } from '../../../platform/module.ts';
import { accountRoutes } from './ftp-accounts.ts';
import { fileContentRoute, listBatchesRoute, listFilesRoute } from './records.ts';
import { statsRoute } from './stats.ts';
import { uploadRoute } from './upload.ts';

export const healthAssessmentModule = defineModule({
  name: 'health-network.health-assessment',
  title: '健康评估服务',
  system: 'health-network',
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    {
      code: 'health-assessment.read',
      title: '查看健康评估报告上传记录和统计',
      roles: ['city_admin', 'district_admin', 'community_admin', 'family_doctor', 'doctor_assistant', 'auditor'],
    },
    { code: 'health-assessment.upload', title: '上传健康评估/体检报告', roles: ['community_admin', 'family_doctor', 'doctor_assistant'] },
    { code: 'health-assessment.ftp.manage', title: '发放社区 FTP 上传账号', roles: ['city_admin', 'district_admin', 'community_admin'] },
  ],
  routes: [uploadRoute, listBatchesRoute, listFilesRoute, fileContentRoute, statsRoute, ...accountRoutes],
  menu: [{ path: '/health-network/health-assessment', title: '健康评估服务', permission: 'health-assessment.read', icon: 'FileDoneOutlined', order: 12 }],
  // The FTP server runs only when WEIJIAN_FTP_PORT is set (off in tests, which start their own).
  // ftp-server.ts (ftp-srv) is loaded only then: most processes never serve FTP, and it is slow to load.
  onStart: async (kernel) => {
    if (!process.env.WEIJIAN_FTP_PORT) return;
    const { startFtpFromEnv } = await import('./ftp-server.ts');
    await startFtpFromEnv(kernel);
  },
});
