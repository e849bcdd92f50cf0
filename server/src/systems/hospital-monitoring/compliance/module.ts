import { defineModule } from '../../../platform/module.ts';
import { catalogRoute } from './catalog-route.ts';
import { createDisposalRoute } from './disposal-create.ts';
import { disposalBoardRoute, getDisposalRoute, listDisposalsRoute } from './disposal-read.ts';
import { closeDisposalRoute, dispatchDisposalRoute, evaluateDisposalRoute, explainDisposalRoute } from './disposal-steps.ts';
import { getFindingRoute, listFindingsRoute } from './findings.ts';
import { previewRoute } from './preview.ts';
import { confirmCandidateRoute, extractRulesRoute, listExtractorsRoute } from './rule-extract-routes.ts';
import { createRuleRoute, disableRuleRoute, enableRuleRoute, getRuleRoute, listRulesRoute, newVersionRoute } from './rules.ts';
import { complianceRunJob, listRunsRoute, runNowRoute } from './run.ts';
import { ruleSetTickJob } from './rule-set-tick.ts';
import { createRuleSetRoute, getRuleSetRoute, listRuleSetsRoute, runRuleSetRoute, updateRuleSetRoute } from './rule-sets.ts';
import { seedBuiltinRules } from './seed.ts';
import { summaryRoute } from './summary.ts';
import { complianceWorld } from './world.ts';

export const complianceModule = defineModule({
  name: 'hospital-monitoring.compliance',
  title: '医疗服务合规智能监测',
  system: 'hospital-monitoring',
  migrations: new URL('./migrations', import.meta.url).pathname,
  world: complianceWorld,
  permissions: [
    {
      code: 'compliance.read',
      title: '查看合规监测结果',
      roles: ['city_admin', 'district_admin', 'shenkang_admin', 'hospital_admin', 'hospital_user', 'expert', 'auditor'],
    },
    { code: 'compliance.manage', title: '维护监测规则与运行', roles: ['city_admin', 'shenkang_admin'] },
    {
      code: 'compliance.disposal.read',
      title: '查看处置单',
      roles: ['city_admin', 'district_admin', 'hospital_admin', 'hospital_user', 'expert'],
    },
    { code: 'compliance.disposal.manage', title: '生成、下发与归档处置单', roles: ['city_admin', 'district_admin'] },
    { code: 'compliance.disposal.explain', title: '填写处置说明', roles: ['hospital_admin', 'hospital_user'] },
    { code: 'compliance.disposal.evaluate', title: '专家评价处置说明', roles: ['expert'] },
  ],
  routes: [
    catalogRoute,
    summaryRoute,
    listFindingsRoute,
    getFindingRoute,
    listRulesRoute,
    previewRoute,
    getRuleRoute,
    createRuleRoute,
    newVersionRoute,
    enableRuleRoute,
    disableRuleRoute,
    listExtractorsRoute,
    extractRulesRoute,
    confirmCandidateRoute,
    runNowRoute,
    listRunsRoute,
    listRuleSetsRoute,
    getRuleSetRoute,
    createRuleSetRoute,
    updateRuleSetRoute,
    runRuleSetRoute,
    listDisposalsRoute,
    disposalBoardRoute,
    getDisposalRoute,
    createDisposalRoute,
    dispatchDisposalRoute,
    explainDisposalRoute,
    evaluateDisposalRoute,
    closeDisposalRoute,
  ],
  jobs: [complianceRunJob, ruleSetTickJob],
  menu: [
    { path: '/hospital-monitoring/compliance', title: '合规监测总览', permission: 'compliance.read', icon: 'AlertOutlined', order: 10 },
    { path: '/hospital-monitoring/compliance/rules', title: '监测规则管理', permission: 'compliance.manage', icon: 'FileSearchOutlined', order: 11 },
    { path: '/hospital-monitoring/compliance/rule-extract', title: '政策文件规则提取', permission: 'compliance.manage', icon: 'ProfileOutlined', order: 13 },
    { path: '/hospital-monitoring/compliance/schedules', title: '规则集调度', permission: 'compliance.manage', icon: 'ScheduleOutlined', order: 14 },
    { path: '/hospital-monitoring/compliance/disposals', title: '处置单管理', permission: 'compliance.disposal.read', icon: 'AuditOutlined', order: 12 },
  ],
  onStart: async (kernel) => {
    await seedBuiltinRules(kernel);
  },
});
