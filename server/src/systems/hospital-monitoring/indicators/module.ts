import { defineModule } from '../../../platform/module.ts';
import { computeRoute } from './compute.ts';
import {
  archiveIndicatorRoute,
  catalogRoute,
  createIndicatorRoute,
  getIndicatorRoute,
  listIndicatorsRoute,
  newVersionRoute,
  previewRoute,
} from './indicators.ts';
import { seedBuiltinIndicators } from './seed.ts';
import { createViewRoute, deleteViewRoute, listViewsRoute, updateViewRoute } from './views.ts';

export const indicatorsModule = defineModule({
  name: 'hospital-monitoring.indicators',
  title: '自定义指标与组合分析',
  system: 'hospital-monitoring',
  migrations: new URL('./migrations', import.meta.url).pathname,
  permissions: [
    {
      code: 'indicators.read',
      title: '查看指标、组合分析与保存视图',
      roles: ['city_admin', 'district_admin', 'shenkang_admin', 'hospital_admin', 'hospital_user', 'expert', 'auditor'],
    },
    { code: 'indicators.manage', title: '定义自定义指标', roles: ['city_admin', 'shenkang_admin'] },
  ],
  routes: [
    catalogRoute,
    computeRoute,
    listViewsRoute,
    createViewRoute,
    updateViewRoute,
    deleteViewRoute,
    previewRoute,
    listIndicatorsRoute,
    getIndicatorRoute,
    createIndicatorRoute,
    newVersionRoute,
    archiveIndicatorRoute,
  ],
  menu: [
    { path: '/hospital-monitoring/indicators/analysis', title: '组合分析', permission: 'indicators.read', icon: 'BarChartOutlined', order: 14 },
    { path: '/hospital-monitoring/indicators', title: '自定义指标', permission: 'indicators.read', icon: 'FundOutlined', order: 15 },
  ],
  onStart: async (kernel) => {
    await seedBuiltinIndicators(kernel);
  },
});
