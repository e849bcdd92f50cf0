import { defineModule } from '../../../platform/module.ts';
import { endConditionRoute, registerConditionRoute, residentTagsRoute } from './conditions.ts';
import { refreshJob, refreshRoute, tagRulesRoute } from './tag-rules.ts';
import { keyPopulationsWorld } from './world.ts';

const READERS = ['city_admin', 'district_admin', 'community_admin', 'family_doctor', 'doctor_assistant'] as const;

export const keyPopulationsModule = defineModule({
  name: 'health-network.key-populations',
  title: '重点人群标识',
  system: 'health-network',
  migrations: new URL('./migrations', import.meta.url).pathname,
  exports: ['kp_contract_tag_count_v'],
  world: keyPopulationsWorld,
  permissions: [
    { code: 'key-populations.read', title: '查看重点人群标识', roles: [...READERS] },
    { code: 'key-populations.write', title: '登记重点人群信息', roles: [...READERS] },
    { code: 'key-populations.refresh', title: '刷新重点人群标签', roles: ['city_admin'] },
  ],
  routes: [tagRulesRoute, residentTagsRoute, registerConditionRoute, endConditionRoute, refreshRoute],
  jobs: [refreshJob],
  menu: [{ path: '/health-network/key-populations/rules', title: '重点人群标签规则', permission: 'key-populations.read', icon: 'TagsOutlined', order: 12 }],
});
