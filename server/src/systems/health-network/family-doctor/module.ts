import { defineModule } from '../../../platform/module.ts';
import { changeDoctorRoute } from './change-doctor.ts';
import { changeHospitalsRoute } from './change-hospitals.ts';
import { chancesRoute } from './chances.ts';
import { listRoute } from './list.ts';
import { renewalOptionsRoute, renewRoute } from './renew.ts';
import { signRoute } from './sign.ts';
import { terminateRoute } from './terminate.ts';
import { transferRoute } from './transfer.ts';
import { abnormalSigningRoute } from './abnormal-signing.ts';
import { deathReportRoute, deathScanJob } from './death-report.ts';
import { deathCheckListRoute, deathVerifyRoute } from './death-verify.ts';
import { transferAcceptRoute, transferRejectRoute } from './transfer-decide.ts';
import { transferListRoute, transferRequestRoute } from './transfer-request.ts';
import { viewRoute } from './view.ts';
import { familyDoctorWorld } from './world.ts';

export const familyDoctorModule = defineModule({
  name: 'health-network.family-doctor',
  title: '家庭医生签约',
  system: 'health-network',
  migrations: new URL('./migrations', import.meta.url).pathname,
  world: familyDoctorWorld,
  permissions: [
    { code: 'family-doctor.read', title: '查看家庭医生签约', roles: ['city_admin', 'district_admin', 'community_admin', 'family_doctor', 'doctor_assistant'] },
    { code: 'family-doctor.sign', title: '办理签约、变更、转签、续约', roles: ['city_admin', 'district_admin', 'community_admin', 'family_doctor', 'doctor_assistant'] },
    { code: 'family-doctor.terminate', title: '办理解约', roles: ['city_admin', 'district_admin', 'community_admin', 'family_doctor'] },
  ],
  routes: [listRoute, viewRoute, chancesRoute, renewalOptionsRoute, signRoute, changeDoctorRoute, transferRoute, changeHospitalsRoute, renewRoute, terminateRoute,
    transferRequestRoute, transferListRoute, transferAcceptRoute, transferRejectRoute,
    deathReportRoute, deathCheckListRoute, deathVerifyRoute, abnormalSigningRoute],
  jobs: [deathScanJob],
  menu: [{ path: '/health-network/family-doctor/contracts', title: '签约管理', permission: 'family-doctor.read', icon: 'SolutionOutlined', order: 10 }],
});
