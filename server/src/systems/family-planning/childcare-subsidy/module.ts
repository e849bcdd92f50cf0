import { smsGateway } from '../../../platform/integration/adapters/sms-gateway.ts';
import { defineModule } from '../../../platform/module.ts';
import { confirmRoute, viewConfirmationRoute } from './confirm.ts';
import { monitorJob } from './monitor.ts';
import { monitorRoutes } from './monitor-routes.ts';
import { nationalSubsidy } from './national.ts';
import { reconcileJob } from './reconcile.ts';
import { listApplicationsRoute, reviewApplicationRoute } from './review.ts';
import { candidatesRoute, getPolicyRoute, latestRunRoute, listRunsRoute, requirementsRoute, updatePolicyRoute } from './routes.ts';
import { screenJob, screenNowRoute } from './screen.ts';
import { sendSmsRoute } from './send-sms.ts';
import { syncJob } from './sync.ts';
import { syncRoutes } from './sync-routes.ts';

export const childcareSubsidyModule = defineModule({
  name: 'family-planning.childcare-subsidy',
  title: '育儿补贴免申即享',
  system: 'family-planning',
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'childcare-subsidy.read', title: '查看育儿补贴筛选结果', roles: ['city_admin', 'district_admin', 'community_admin', 'auditor'] },
    { code: 'childcare-subsidy.screen', title: '发起育儿补贴筛选', roles: ['city_admin'] },
    { code: 'childcare-subsidy.policy.manage', title: '维护育儿补贴政策参数', roles: ['city_admin'] },
    { code: 'childcare-subsidy.apply.send', title: '发送育儿补贴申领确认短信', roles: ['city_admin', 'district_admin'] },
    { code: 'childcare-subsidy.review', title: '人工审核育儿补贴申领', roles: ['city_admin', 'district_admin'] },
    { code: 'childcare-subsidy.sync.manage', title: '育儿补贴与国家系统同步、对账', roles: ['city_admin'] },
    { code: 'childcare-subsidy.monitor.manage', title: '维护育儿补贴监控告警阈值', roles: ['city_admin'] },
  ],
  routes: [
    getPolicyRoute,
    updatePolicyRoute,
    screenNowRoute,
    listRunsRoute,
    latestRunRoute,
    candidatesRoute,
    requirementsRoute,
    sendSmsRoute,
    viewConfirmationRoute,
    confirmRoute,
    listApplicationsRoute,
    reviewApplicationRoute,
    ...syncRoutes,
    ...monitorRoutes,
  ],
  jobs: [screenJob, syncJob, reconcileJob, monitorJob],
  adapters: [nationalSubsidy, smsGateway],
  sealed: [{ table: 'cs_application', column: 'bank_account_enc' }],
  menu: [{ path: '/family-planning/childcare-subsidy', title: '育儿补贴免申即享', permission: 'childcare-subsidy.read', icon: 'GiftOutlined', order: 10 }],
});
