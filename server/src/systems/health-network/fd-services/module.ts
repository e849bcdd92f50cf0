import { smsGateway } from '../../../platform/integration/adapters/sms-gateway.ts';
import { defineModule } from '../../../platform/module.ts';
import { bookingsRoute, bookingStatusRoute, bookRoute, examPlanRoute } from './elderly.ts';
import { listVisitsRoute, recordVisitRoute } from './home-visits.ts';
import { handleReminderRoute, partnerInpatientRoute, remindersRoute } from './inpatient.ts';
import { openSessionRoute, partnerContractRoute, portalMeRoute, requestCodeRoute } from './portal.ts';
import { inpatientWorld } from './world.ts';

export const fdServicesModule = defineModule({
  name: 'health-network.fd-services',
  title: '家庭医生签约服务',
  system: 'health-network',
  migrations: new URL('./migrations', import.meta.url).pathname,
  world: inpatientWorld,
  // The portal's verification codes go out by SMS.
  adapters: [smsGateway],
  permissions: [
    {
      code: 'fd-services.read',
      title: '查看住院提醒、老年人体检预约和上门访视',
      roles: ['city_admin', 'district_admin', 'community_admin', 'family_doctor', 'doctor_assistant', 'auditor'],
    },
    { code: 'fd-services.manage', title: '处理住院提醒、预约体检、登记上门访视', roles: ['community_admin', 'family_doctor', 'doctor_assistant'] },
    { code: 'fd-services.inpatient.report', title: '推送入院/出院事件（合作系统：医院）', roles: [] },
    { code: 'fd-services.contract.query', title: '签约查询接口（合作系统：随申办）', roles: [] },
  ],
  routes: [
    partnerInpatientRoute,
    remindersRoute,
    handleReminderRoute,
    examPlanRoute,
    bookRoute,
    bookingsRoute,
    bookingStatusRoute,
    recordVisitRoute,
    listVisitsRoute,
    requestCodeRoute,
    openSessionRoute,
    portalMeRoute,
    partnerContractRoute,
  ],
  menu: [
    { path: '/health-network/fd-services/reminders', title: '住院提醒', permission: 'fd-services.read', icon: 'AlertOutlined', order: 13 },
    { path: '/health-network/fd-services/elderly', title: '老年人健康服务', permission: 'fd-services.read', icon: 'HeartOutlined', order: 14 },
  ],
});
