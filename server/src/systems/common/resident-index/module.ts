import { defineModule } from '../../../platform/module.ts';
import { createRoute } from './create.ts';
import { recordDeathRoute } from './death.ts';
import { insuranceCardCheckRoute } from './insurance-card.ts';
import { revealRoute } from './reveal.ts';
import { searchRoute } from './search.ts';
import { updateRoute } from './update.ts';
import { viewRoute } from './view.ts';
import { residentIndexWorld } from './world.ts';

export const residentIndexModule = defineModule({
  name: 'common.resident-index',
  title: '居民主索引',
  system: 'platform',
  migrations: new URL('./migrations', import.meta.url).pathname,
  exports: ['person'],
  world: residentIndexWorld,
  publishes: [{ name: 'resident.death-recorded', title: '居民死亡已登记' }],
  sealed: [
    { table: 'person', column: 'id_number_enc', blindIndex: { column: 'id_number_bi', domain: 'person.id_number' } },
    { table: 'person', column: 'phone_enc', blindIndex: { column: 'phone_bi', domain: 'person.phone' } },
  ],
  permissions: [
    {
      code: 'resident-index.read',
      title: '查询居民',
      roles: ['city_admin', 'district_admin', 'community_admin', 'family_doctor', 'doctor_assistant', 'hospital_admin', 'hospital_user'],
    },
    { code: 'resident-index.reveal', title: '调阅居民完整信息', roles: ['city_admin', 'district_admin', 'community_admin', 'family_doctor'] },
    { code: 'resident-index.write', title: '维护居民信息', roles: ['city_admin', 'district_admin', 'community_admin', 'family_doctor', 'doctor_assistant'] },
  ],
  routes: [searchRoute, viewRoute, revealRoute, createRoute, updateRoute, recordDeathRoute, insuranceCardCheckRoute],
  menu: [{ path: '/platform/residents', title: '居民主索引', permission: 'resident-index.read', icon: 'IdcardOutlined', order: 20 }],
});
