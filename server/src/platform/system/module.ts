import { defineModule } from '../module.ts';
import { infoRoute } from './info.ts';
import { menuRoute } from './menu.ts';
import { partnerPingRoute } from './partner-ping.ts';
import { rolesRoute } from './roles.ts';

/** The console shell: navigation, role names, version; and the partners' connectivity check. */
export const systemModule = defineModule({
  name: 'platform.system',
  title: '控制台',
  system: 'platform',
  permissions: [{ code: 'system.partner.ping', title: '合作系统连通性测试', roles: [] }],
  routes: [menuRoute, rolesRoute, infoRoute, partnerPingRoute],
});
