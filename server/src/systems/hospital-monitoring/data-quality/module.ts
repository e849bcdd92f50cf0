import { defineModule } from '../../../platform/module.ts';
import { getAnomalyRoute, listAnomaliesRoute } from './anomalies.ts';
import { correctRoute } from './correct.ts';
import { reportPdfRoute, reportXlsxRoute, summaryRoute } from './report.ts';
import { createRuleRoute, disableRuleRoute, enableRuleRoute, listRulesRoute } from './rules.ts';
import { dataQualityCheckJob, listChecksRoute, runCheckRoute } from './run.ts';
import { seedBuiltinDqRules } from './seed.ts';
import { dataQualityWorld } from './world.ts';

export const dataQualityModule = defineModule({
  name: 'hospital-monitoring.data-quality',
  title: '多源数据自检与校验',
  system: 'hospital-monitoring',
  migrations: new URL('./migrations', import.meta.url).pathname,
  world: dataQualityWorld,
  permissions: [
    {
      code: 'data-quality.read',
      title: '查看数据质量问题与报告',
      roles: ['city_admin', 'district_admin', 'shenkang_admin', 'hospital_admin', 'hospital_user', 'auditor'],
    },
    { code: 'data-quality.correct', title: '修正数据质量问题（数据管理员）', roles: ['city_admin', 'district_admin', 'hospital_admin'] },
    { code: 'data-quality.manage', title: '维护数据质量规则与运行检查', roles: ['city_admin', 'shenkang_admin'] },
  ],
  routes: [
    summaryRoute,
    reportPdfRoute,
    reportXlsxRoute,
    listAnomaliesRoute,
    getAnomalyRoute,
    correctRoute,
    listRulesRoute,
    createRuleRoute,
    enableRuleRoute,
    disableRuleRoute,
    runCheckRoute,
    listChecksRoute,
  ],
  jobs: [dataQualityCheckJob],
  menu: [{ path: '/hospital-monitoring/data-quality', title: '数据质量自检', permission: 'data-quality.read', icon: 'SafetyCertificateOutlined', order: 16 }],
  onStart: async (kernel) => {
    await seedBuiltinDqRules(kernel);
  },
});
