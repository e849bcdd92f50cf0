import { fdQcPlatform } from '../../../platform/integration/adapters/fd-qc-platform.ts';
import { defineModule } from '../../../platform/module.ts';
import { createAssistantRoute, updateTeamRoute } from './accounts.ts';
import { manualRoute } from './manual.ts';
import { qcSyncJob, qcSyncRoute, syncRunsRoute } from './qc-sync.ts';
import { getSealRoute, putSealRoute } from './seal.ts';
import { createViewAccountRoute } from './view-accounts.ts';

export const fdPeopleModule = defineModule({
  name: 'health-network.fd-people',
  title: '家庭医生人员与团队',
  system: 'health-network',
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    {
      code: 'fd-people.read',
      title: '查看家庭医生人员、团队、社区信息，下载操作手册',
      roles: ['city_admin', 'district_admin', 'community_admin', 'family_doctor', 'doctor_assistant', 'auditor', 'hospital_user'],
    },
    { code: 'fd-people.manage', title: '维护团队、家医助理账号、社区公章', roles: ['city_admin', 'district_admin', 'community_admin'] },
    { code: 'fd-people.accounts', title: '开设区级、医院查看账号', roles: ['city_admin', 'district_admin'] },
    { code: 'fd-people.sync', title: '从家庭医生质控平台同步家庭医生', roles: ['city_admin'] },
  ],
  routes: [qcSyncRoute, syncRunsRoute, updateTeamRoute, createAssistantRoute, putSealRoute, getSealRoute, manualRoute, createViewAccountRoute],
  jobs: [qcSyncJob],
  adapters: [fdQcPlatform],
  menu: [{ path: '/health-network/fd-people', title: '人员与团队', permission: 'fd-people.read', icon: 'TeamOutlined', order: 15 }],
});
