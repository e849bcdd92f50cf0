import { ALL_ROLES } from '../../../platform/auth/roles.ts';
import { defineModule } from '../../../platform/module.ts';

export const masterDataModule = defineModule({
  name: 'common.master-data',
  title: '主数据',
  system: 'platform',
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    { code: 'master-data.read', title: '查看主数据', roles: ALL_ROLES },
    { code: 'master-data.manage', title: '维护主数据', roles: ['city_admin', 'district_admin'] },
  ],
});
