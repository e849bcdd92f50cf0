import { defineModule } from '../../../platform/module.ts';
import { birthOrderRoute, partnerBirthOrderRoute } from './query.ts';
import { birthsWorld } from './world.ts';

export const birthVerificationModule = defineModule({
  name: 'family-planning.birth-verification',
  title: '出生信息核实与孩次库',
  system: 'family-planning',
  migrations: new URL('./migrations', import.meta.url).pathname,
  world: birthsWorld,
  permissions: [
    { code: 'fp.birth-order.read', title: '查询孩次', roles: ['city_admin', 'district_admin', 'community_admin', 'auditor'] },
    // Granted to partner systems (API keys) only: the national 育儿补贴信息管理系统.
    { code: 'fp.birth-order.query', title: '孩次查询接口（合作系统）', roles: [] },
  ],
  routes: [birthOrderRoute, partnerBirthOrderRoute],
});
