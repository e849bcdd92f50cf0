import { fdQcPlatform } from '../../../platform/integration/adapters/fd-qc-platform.ts';
import { defineModule } from '../../../platform/module.ts';
import { combinationAdapter } from './combination-push.ts';
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
import { revealContactsRoute, sealContactsJob } from './contacts.ts';
import { signLookupRoute } from './sign-lookup.ts';
import { familyDoctorWorld } from './world.ts';
import { agreementPdfRoute, agreementsRoute, createTemplateRoute, listTemplatesRoute, regenerateAgreementRoute } from './agreement.ts';
import { authCodeSignRoute, issueAuthCodeRoute, listAuthCodesRoute, revokeAuthCodeRoute } from './auth-code.ts';
import { cardCheckRoute, deleteCardRuleRoute, duplicateCardsRoute, listCardRulesRoute, putCardRuleRoute } from './insurance-card.ts';
import { mergeListRoute, mergePreviewRoute, mergeRoute, mergeRowsRoute } from './merge.ts';
import { qcPushJob, qcPushNowRoute, qcStatusRoute } from './qc-push.ts';
import { getDoctorSignatureRoute, getResidentSignatureRoute, putDoctorSignatureRoute, putResidentSignatureRoute } from './signature.ts';
import { attachmentFileRoute, attachmentsRoute, specialSignRoute } from './special-sign.ts';

export const familyDoctorModule = defineModule({
  name: 'health-network.family-doctor',
  title: '家庭医生签约',
  system: 'health-network',
  migrations: new URL('./migrations', import.meta.url).pathname,
  exports: ['fd_contract_v', 'fd_contract_event_v', 'fd_visit_v', 'fd_setting_v', 'fd_bump_count_generation'],
  world: familyDoctorWorld,
  // Emergency-contact phones (migration 015): one SM4 token over the contacts' JSON, re-sealed after key rotation.
  sealed: [{ table: 'fd_contract', column: 'emergency_contacts_enc' }],
  permissions: [
    // auditor / hospital_user: the view-only district and hospital accounts of fd-people (reads only; a
    // hospital account sees the contracts naming its hospital, migration 012).
    {
      code: 'family-doctor.read',
      title: '查看家庭医生签约',
      roles: ['city_admin', 'district_admin', 'community_admin', 'family_doctor', 'doctor_assistant', 'auditor', 'hospital_user'],
    },
    {
      code: 'family-doctor.sign',
      title: '办理签约、变更、转签、续约',
      roles: ['city_admin', 'district_admin', 'community_admin', 'family_doctor', 'doctor_assistant'],
    },
    { code: 'family-doctor.terminate', title: '办理解约', roles: ['city_admin', 'district_admin', 'community_admin', 'family_doctor'] },
    { code: 'family-doctor.special', title: '办理特殊原因新签', roles: ['city_admin', 'district_admin', 'community_admin'] },
    { code: 'family-doctor.auth-code', title: '签发授权码（应急签约）', roles: ['city_admin', 'district_admin', 'community_admin'] },
    { code: 'family-doctor.admin', title: '维护签约配置（协议书模板、医保卡规则、数据推送）', roles: ['city_admin'] },
    { code: 'family-doctor.merge', title: '总分院合并', roles: ['city_admin'] },
  ],
  routes: [
    listRoute,
    viewRoute,
    chancesRoute,
    renewalOptionsRoute,
    signRoute,
    changeDoctorRoute,
    transferRoute,
    changeHospitalsRoute,
    renewRoute,
    terminateRoute,
    transferRequestRoute,
    transferListRoute,
    transferAcceptRoute,
    transferRejectRoute,
    deathReportRoute,
    deathCheckListRoute,
    deathVerifyRoute,
    abnormalSigningRoute,
    listTemplatesRoute,
    createTemplateRoute,
    agreementsRoute,
    regenerateAgreementRoute,
    agreementPdfRoute,
    putDoctorSignatureRoute,
    getDoctorSignatureRoute,
    putResidentSignatureRoute,
    getResidentSignatureRoute,
    specialSignRoute,
    attachmentsRoute,
    attachmentFileRoute,
    issueAuthCodeRoute,
    listAuthCodesRoute,
    revokeAuthCodeRoute,
    authCodeSignRoute,
    cardCheckRoute,
    listCardRulesRoute,
    putCardRuleRoute,
    deleteCardRuleRoute,
    duplicateCardsRoute,
    mergePreviewRoute,
    mergeRoute,
    mergeListRoute,
    mergeRowsRoute,
    qcStatusRoute,
    qcPushNowRoute,
    revealContactsRoute,
    signLookupRoute,
  ],
  jobs: [deathScanJob, qcPushJob, sealContactsJob],
  // a death recorded in the resident index (by hand or by a feed) queues the scan at once, not at night
  subscribes: [{ event: 'resident.death-recorded', job: 'family-doctor.death-scan' }],
  adapters: [fdQcPlatform, combinationAdapter],
  menu: [
    { path: '/health-network/family-doctor/contracts', title: '签约管理', permission: 'family-doctor.read', icon: 'SolutionOutlined', order: 10 },
    {
      path: '/health-network/family-doctor/auth-codes',
      title: '授权码签约',
      permission: 'family-doctor.auth-code',
      icon: 'SafetyCertificateOutlined',
      order: 14,
    },
    { path: '/health-network/family-doctor/duplicate-cards', title: '重复医保卡号', permission: 'family-doctor.read', icon: 'IdcardOutlined', order: 15 },
    { path: '/health-network/family-doctor/merge', title: '总分院合并', permission: 'family-doctor.merge', icon: 'ApartmentOutlined', order: 16 },
    { path: '/health-network/family-doctor/settings', title: '签约配置', permission: 'family-doctor.admin', icon: 'SettingOutlined', order: 17 },
  ],
});
