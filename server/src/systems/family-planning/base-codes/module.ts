import { defineModule } from '../../../platform/module.ts';
import { exportRoute, summaryRoute } from './routes.ts';

// The city and district administrators report their regions, institutions and users to the national
// 基础编码管理系统 (docs/base-codes-format.md).
export const baseCodesModule = defineModule({
  name: 'family-planning.base-codes',
  title: '基础编码维护',
  system: 'family-planning',
  permissions: [{ code: 'base-codes.export', title: '导出基础编码（行政区划、机构、用户）', roles: ['city_admin', 'district_admin'] }],
  routes: [summaryRoute, exportRoute],
  menu: [{ path: '/family-planning/base-codes', title: '基础编码', permission: 'base-codes.export', icon: 'DatabaseOutlined', order: 23 }],
});
