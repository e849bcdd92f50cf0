import { ALL_ROLES } from '../../../platform/auth/roles.ts';
import { defineModule } from '../../../platform/module.ts';
import { seedBuiltinRegions } from './builtin.ts';
import { consistencyJob } from './consistency-job.ts';
import { districtMapRoute, districtStatsRoute } from './district-stats.ts';
import { institutionRoutes } from './institutions.ts';
import { practitionerRoutes } from './practitioners.ts';
import { regionRoutes } from './regions.ts';
import { loadScopeNames, locateScopeKey } from './scope-names.ts';
import { teamRoutes } from './teams.ts';
import { masterDataWorld } from './world.ts';

export const masterDataModule = defineModule({
  name: 'common.master-data',
  title: '主数据',
  system: 'platform',
  migrations: new URL('./migrations', import.meta.url).pathname,
  exports: ['region', 'institution', 'department', 'practitioner', 'team', 'team_member', 'team_community'],
  world: masterDataWorld,
  scopeNames: loadScopeNames,
  scopeLocator: locateScopeKey,
  sealed: [
    { table: 'practitioner', column: 'id_number_enc', blindIndex: { column: 'id_number_bi', domain: 'practitioner.id_number' } },
    { table: 'practitioner', column: 'phone_enc' },
  ],
  permissions: [
    { code: 'master-data.read', title: '查看主数据', roles: ALL_ROLES },
    { code: 'master-data.manage', title: '维护主数据', roles: ['city_admin', 'district_admin'] },
  ],
  routes: [...regionRoutes, ...institutionRoutes, ...practitionerRoutes, ...teamRoutes, districtStatsRoute, districtMapRoute],
  jobs: [consistencyJob],
  menu: [{ path: '/platform/master-data', title: '主数据', permission: 'master-data.read', icon: 'DatabaseOutlined', order: 50 }],
  // The city and its 16 districts: every scope key and import refers to them.
  onStart: (kernel) => seedBuiltinRegions(kernel.db),
});
