import { defineModule } from '../../../platform/module.ts';
import { abnormalRoute } from './abnormal.ts';
import { dailyHistoryRoute, dailyRoute } from './daily.ts';
import { kpRenewalRoute } from './key-population-renewal.ts';
import { renewalHistoryRoute, renewalWorkloadRoute } from './renewal-history.ts';
import { renewalDynamicsRoute, renewalStatsRoute } from './renewals.ts';
import { regenerateRoute, snapshotJob } from './snapshot.ts';
import { terminationsRoute } from './terminations.ts';
import { visitRatesRoute } from './visit-rates.ts';
import { fdSupervisionWorld } from './world.ts';

export const fdSupervisionModule = defineModule({
  name: 'health-network.fd-supervision',
  title: '签约服务监管',
  system: 'health-network',
  migrations: new URL('./migrations', import.meta.url).pathname,
  world: fdSupervisionWorld,
  permissions: [
    { code: 'fd-supervision.read', title: '查看签约服务监管报表', roles: ['city_admin', 'district_admin', 'community_admin'] },
    { code: 'fd-supervision.generate', title: '重新生成每日监测快照', roles: ['city_admin'] },
  ],
  routes: [
    dailyRoute,
    dailyHistoryRoute,
    terminationsRoute,
    renewalStatsRoute,
    renewalDynamicsRoute,
    renewalHistoryRoute,
    renewalWorkloadRoute,
    kpRenewalRoute,
    abnormalRoute,
    visitRatesRoute,
    regenerateRoute,
  ],
  jobs: [snapshotJob],
  menu: [{ path: '/health-network/fd-supervision', title: '签约服务监管', permission: 'fd-supervision.read', icon: 'FundOutlined', order: 14 }],
});
