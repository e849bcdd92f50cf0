import { defineModule } from '../../../platform/module.ts';
import { downloadPdfRoute, getCaseRoute, listCasesRoute, uploadCaseRoute } from './cases.ts';
import { listDimensionsRoute, listSectionsRoute, saveDimensionsRoute, saveSectionsRoute } from './config.ts';
import { concludeRoute, startReviewRoute } from './review.ts';
import { statsRoute } from './stats.ts';
import { feeReviewWorld } from './world.ts';

export const feeReviewModule = defineModule({
  name: 'hospital-monitoring.fee-review',
  title: '费用偏离病例专家核查',
  system: 'hospital-monitoring',
  migrations: new URL('./migrations', import.meta.url).pathname,
  world: feeReviewWorld,
  permissions: [
    {
      code: 'fee-review.read',
      title: '查看费用偏离病例及统计',
      roles: ['city_admin', 'district_admin', 'shenkang_admin', 'hospital_admin', 'hospital_user', 'expert'],
    },
    { code: 'fee-review.upload', title: '上传费用偏离病例', roles: ['hospital_admin', 'hospital_user'] },
    { code: 'fee-review.review', title: '专家核查费用偏离病例', roles: ['expert'] },
    { code: 'fee-review.configure', title: '维护核查维度与病历章节', roles: ['city_admin', 'shenkang_admin'] },
  ],
  routes: [
    listDimensionsRoute,
    saveDimensionsRoute,
    listSectionsRoute,
    saveSectionsRoute,
    statsRoute,
    listCasesRoute,
    uploadCaseRoute,
    getCaseRoute,
    downloadPdfRoute,
    startReviewRoute,
    concludeRoute,
  ],
  menu: [
    { path: '/hospital-monitoring/fee-review', title: '费用偏离病例核查', permission: 'fee-review.read', icon: 'FileProtectOutlined', order: 20 },
    { path: '/hospital-monitoring/fee-review/stats', title: '费用偏离核查统计', permission: 'fee-review.read', icon: 'BarChartOutlined', order: 21 },
    { path: '/hospital-monitoring/fee-review/settings', title: '核查维度设置', permission: 'fee-review.configure', icon: 'SettingOutlined', order: 22 },
  ],
});
