import { listDeathReportsRoute } from './deaths.ts';
import { defineModule } from '../../../platform/module.ts';
import { approveRoute, precheckRoute, reverifyRoute } from './approve.ts';
import { cloudFeedbackRoute } from './cloud-feedback.ts';
import { handleAssistRoute, listAssistsRoute, replyAssistRoute, requestAssistRoute } from './assist.ts';
import { communityCloud } from './cloud-push.ts';
import { intakeJob, listBatchesRoute, listRejectedRoute, runIntakeRoute } from './daily-intake.ts';
import { seedFieldMap } from './field-map.ts';
import { getFieldMapRoute, updateFieldMapRoute } from './field-map-routes.ts';
import { householdPrefillRoute } from './household-prefill.ts';
import { birthOrderRoute, partnerBirthOrderRoute } from './query.ts';
import { statsRoute } from './stats.ts';
import { getTaskRoute, listTasksRoute, prefillRoute } from './tasks.ts';
import { birthsWorld } from './world.ts';
import { birthVerificationWorld } from './world-tasks.ts';

// Street work (核实, 协查) is done by 社区管理员 scoped to a street (街镇) or to the street's community
// health service centre; district administrators may act for their streets. City users supervise.
const READERS = ['city_admin', 'district_admin', 'community_admin', 'auditor'] as const;
const STREET_WORKERS = ['district_admin', 'community_admin'] as const;

export const birthVerificationModule = defineModule({
  name: 'family-planning.birth-verification',
  title: '出生信息核实与孩次库',
  system: 'family-planning',
  migrations: new URL('./migrations', import.meta.url).pathname,
  exports: ['fp_marriage'],
  world: birthVerificationWorld(birthsWorld),
  permissions: [
    { code: 'birth-verification.birth-order.read', title: '查询孩次', roles: ['city_admin', 'district_admin', 'community_admin', 'auditor'] },
    // Granted to partner systems (API keys) only: the national 育儿补贴信息管理系统.
    { code: 'birth-verification.birth-order.query', title: '孩次查询接口（合作系统）', roles: [] },
    { code: 'birth-verification.read', title: '查看出生监测核实任务与统计', roles: [...READERS] },
    { code: 'birth-verification.verify', title: '核实出生监测任务（预检、审核、协查）', roles: [...STREET_WORKERS] },
    { code: 'birth-verification.reverify', title: '发起重新核实', roles: [...STREET_WORKERS] },
    { code: 'birth-verification.intake', title: '拉取市妇幼出生数据', roles: ['city_admin'] },
    { code: 'birth-verification.field-map', title: '维护市妇幼接口字段映射', roles: ['city_admin'] },
    // Granted to partner systems (API keys) only: 社区云.
    { code: 'birth-verification.cloud-feedback', title: '社区云回传走访情况（合作系统）', roles: [] },
  ],
  routes: [
    birthOrderRoute,
    partnerBirthOrderRoute,
    listTasksRoute,
    getTaskRoute,
    prefillRoute,
    precheckRoute,
    approveRoute,
    reverifyRoute,
    requestAssistRoute,
    listAssistsRoute,
    replyAssistRoute,
    handleAssistRoute,
    statsRoute,
    runIntakeRoute,
    listBatchesRoute,
    listRejectedRoute,
    getFieldMapRoute,
    updateFieldMapRoute,
    cloudFeedbackRoute,
    householdPrefillRoute,
    listDeathReportsRoute,
  ],
  jobs: [intakeJob],
  adapters: [communityCloud],
  sealed: [
    { table: 'fp_verify_task', column: 'mother_id_enc', blindIndex: { column: 'mother_id_bi', domain: 'person.id_number' } },
    { table: 'fp_verify_task', column: 'father_id_enc', blindIndex: { column: 'father_id_bi', domain: 'person.id_number' } },
  ],
  menu: [{ path: '/family-planning/birth-verification', title: '出生监测核实', permission: 'birth-verification.read', icon: 'AuditOutlined', order: 20 }],
  onStart: async (kernel) => {
    await kernel.db.transaction((tx) => seedFieldMap(tx));
  },
});
