import { defineModule } from '../../../platform/module.ts';
import { pullJob, runPullRoute } from './pull.ts';
import { householdDeathsWorld } from './world.ts';
import { listMappingsRoute, listPullsRoute, listRegistrationsRoute, logRoute, prefillRoute, putMappingRoute, statsRoute } from './routes.ts';

// Registrations are distributed to streets: community administrators (street scope) see and pre-fill their
// own; districts maintain the code mapping for their streets; the city pulls and supervises.
export const householdVerificationModule = defineModule({
  name: 'family-planning.household-verification',
  title: '公安报出生户口信息核对',
  system: 'family-planning',
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    {
      code: 'household-verification.read',
      title: '查看公安报出生户口登记、预填、日志与统计',
      roles: ['city_admin', 'district_admin', 'community_admin', 'auditor'],
    },
    { code: 'household-verification.map', title: '维护公安机关代码与街道映射', roles: ['city_admin', 'district_admin'] },
    { code: 'household-verification.pull', title: '拉取公安报出生户口数据', roles: ['city_admin'] },
  ],
  routes: [listRegistrationsRoute, prefillRoute, listMappingsRoute, putMappingRoute, logRoute, statsRoute, listPullsRoute, runPullRoute],
  jobs: [pullJob],
  world: householdDeathsWorld,
  // Received from the registry, kept only as a blind index (no sealed source to rebuild from): each row keeps
  // the blind-index key that made it (child_id_bi_key) and lookups try every key (registrations-by-id.ts).
  blindIndexes: [{ table: 'fp_hv_registration', column: 'child_id_bi', domain: 'person.id_number', keyColumn: 'child_id_bi_key' }],
  menu: [
    { path: '/family-planning/household-verification', title: '报出生户口核对', permission: 'household-verification.read', icon: 'IdcardOutlined', order: 22 },
  ],
});
