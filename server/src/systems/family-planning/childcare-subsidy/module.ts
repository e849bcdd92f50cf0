import { defineModule } from '../../../platform/module.ts';
import { candidatesRoute, getPolicyRoute, latestRunRoute, listRunsRoute, requirementsRoute, updatePolicyRoute } from './routes.ts';
import { confirmRoute, viewConfirmationRoute } from './confirm.ts';
import { listApplicationsRoute, reviewApplicationRoute } from './review.ts';
import { screenJob, screenNowRoute } from './screen.ts';
import { sendSmsRoute } from './send-sms.ts';

export const childcareSubsidyModule = defineModule({
  name: 'family-planning.childcare-subsidy',
  title: '育儿补贴免申即享',
  system: 'family-planning',
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'cs.read', title: '查看育儿补贴筛选结果', roles: ['city_admin', 'district_admin', 'community_admin', 'auditor'] },
    { code: 'cs.screen', title: '发起育儿补贴筛选', roles: ['city_admin'] },
    { code: 'cs.policy.manage', title: '维护育儿补贴政策参数', roles: ['city_admin'] },
    { code: 'cs.apply.send', title: '发送育儿补贴申领确认短信', roles: ['city_admin', 'district_admin'] },
    { code: 'cs.review', title: '人工审核育儿补贴申领', roles: ['city_admin', 'district_admin'] },
  ],
  routes: [getPolicyRoute, updatePolicyRoute, screenNowRoute, listRunsRoute, latestRunRoute, candidatesRoute, requirementsRoute,
    sendSmsRoute, viewConfirmationRoute, confirmRoute, listApplicationsRoute, reviewApplicationRoute],
  jobs: [screenJob],
  menu: [{ path: '/family-planning/childcare-subsidy', title: '育儿补贴免申即享', permission: 'cs.read', icon: 'GiftOutlined', order: 10 }],
});
