import { defineModule } from '../../../platform/module.ts';
import { listPullsRoute, pullJob, runPullRoute } from './pull.ts';
import { confirmCaseRoute, getCaseRoute, invalidateCaseRoute, listCasesRoute, logRoute, statsRoute } from './routes.ts';

// Marriage registration is a district matter (区民政局): district administrators handle their district's
// cases, the city supervises and pulls the data.
export const marriageVerificationModule = defineModule({
  name: 'family-planning.marriage-verification',
  title: '民政婚姻信息核对',
  system: 'family-planning',
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'marriage-verification.read', title: '查看婚姻核对个案、日志与统计', roles: ['city_admin', 'district_admin', 'auditor'] },
    { code: 'marriage-verification.handle', title: '人工处理婚姻核对个案（确认匹配、标记无效）', roles: ['city_admin', 'district_admin'] },
    { code: 'marriage-verification.pull', title: '拉取民政婚姻数据', roles: ['city_admin'] },
  ],
  routes: [listCasesRoute, getCaseRoute, confirmCaseRoute, invalidateCaseRoute, logRoute, statsRoute, runPullRoute, listPullsRoute],
  jobs: [pullJob],
  // Received from the data platform, kept only as blind indexes (no sealed source to rebuild from): each case
  // keeps the blind-index key that made them (id_bi_key) and lookups try every key (repository.ts listCases).
  blindIndexes: [
    { table: 'fp_mv_case', column: 'husband_id_bi', domain: 'person.id_number', keyColumn: 'id_bi_key' },
    { table: 'fp_mv_case', column: 'wife_id_bi', domain: 'person.id_number', keyColumn: 'id_bi_key' },
  ],
  menu: [{ path: '/family-planning/marriage-verification', title: '婚姻信息核对', permission: 'marriage-verification.read', icon: 'HeartOutlined', order: 21 }],
});
