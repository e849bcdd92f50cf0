import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

/**
 * The route table: each server menu `path` → its lazily loaded page. A menu item the user holds but
 * with no page here yet shows 建设中; a page here the user's menu lacks shows 无权访问.
 * Later systems add their rows below (web/src/systems/<system>/<module>/).
 */
export interface PageRoute {
  path: string;
  page: LazyExoticComponent<ComponentType>;
}

const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) => lazy(async () => ({ default: (await load())[name] }));

export const pageRoutes: PageRoute[] = [
  // 系统管理 (platform)
  { path: '/platform/users', page: page(() => import('../systems/platform/users/UsersPage'), 'UsersPage') },
  { path: '/platform/api-clients', page: page(() => import('../systems/platform/api-clients/ApiClientsPage'), 'ApiClientsPage') },
  { path: '/platform/residents', page: page(() => import('../systems/platform/residents/ResidentsPage'), 'ResidentsPage') },
  { path: '/platform/audit', page: page(() => import('../systems/platform/audit/AuditPage'), 'AuditPage') },
  { path: '/platform/jobs', page: page(() => import('../systems/platform/jobs/JobsPage'), 'JobsPage') },
  { path: '/platform/integration', page: page(() => import('../systems/platform/integration/IntegrationPage'), 'IntegrationPage') },
  { path: '/platform/master-data', page: page(() => import('../systems/platform/master-data/MasterDataPage'), 'MasterDataPage') },
  // 健康信息网 (health-network)
  { path: '/health-network/family-doctor/contracts', page: page(() => import('../systems/health-network/family-doctor/ContractsPage'), 'ContractsPage') },
  {
    path: '/health-network/health-assessment',
    page: page(() => import('../systems/health-network/health-assessment/HealthAssessmentPage'), 'HealthAssessmentPage'),
  },
  { path: '/health-network/fd-services/reminders', page: page(() => import('../systems/health-network/fd-services/RemindersPage'), 'RemindersPage') },
  { path: '/health-network/fd-services/elderly', page: page(() => import('../systems/health-network/fd-services/ElderlyPage'), 'ElderlyPage') },
  { path: '/health-network/fd-people', page: page(() => import('../systems/health-network/fd-people/PeoplePage'), 'PeoplePage') },
  { path: '/health-network/family-doctor/auth-codes', page: page(() => import('../systems/health-network/family-doctor/AuthCodesPage'), 'AuthCodesPage') },
  {
    path: '/health-network/family-doctor/duplicate-cards',
    page: page(() => import('../systems/health-network/family-doctor/DuplicateCardsPage'), 'DuplicateCardsPage'),
  },
  { path: '/health-network/family-doctor/merge', page: page(() => import('../systems/health-network/family-doctor/MergePage'), 'MergePage') },
  { path: '/health-network/family-doctor/settings', page: page(() => import('../systems/health-network/family-doctor/SettingsPage'), 'SettingsPage') },
  { path: '/health-network/key-populations/rules', page: page(() => import('../systems/health-network/key-populations/TagRulesPage'), 'TagRulesPage') },
  { path: '/health-network/fd-supervision', page: page(() => import('../systems/health-network/fd-supervision/SupervisionPage'), 'SupervisionPage') },
  // 医院评审与监测 (hospital-monitoring)
  { path: '/hospital-monitoring/compliance', page: page(() => import('../systems/hospital-monitoring/compliance/OverviewPage'), 'OverviewPage') },
  { path: '/hospital-monitoring/compliance/rules', page: page(() => import('../systems/hospital-monitoring/compliance/RulesPage'), 'RulesPage') },
  { path: '/hospital-monitoring/compliance/disposals', page: page(() => import('../systems/hospital-monitoring/compliance/DisposalsPage'), 'DisposalsPage') },
  { path: '/hospital-monitoring/compliance/schedules', page: page(() => import('../systems/hospital-monitoring/compliance/SchedulesPage'), 'SchedulesPage') },
  {
    path: '/hospital-monitoring/compliance/rule-extract',
    page: page(() => import('../systems/hospital-monitoring/compliance/RuleExtractPage'), 'RuleExtractPage'),
  },
  { path: '/hospital-monitoring/fee-review', page: page(() => import('../systems/hospital-monitoring/fee-review/FeeReviewPage'), 'FeeReviewPage') },
  {
    path: '/hospital-monitoring/fee-review/stats',
    page: page(() => import('../systems/hospital-monitoring/fee-review/FeeReviewStatsPage'), 'FeeReviewStatsPage'),
  },
  {
    path: '/hospital-monitoring/fee-review/settings',
    page: page(() => import('../systems/hospital-monitoring/fee-review/FeeReviewSettingsPage'), 'FeeReviewSettingsPage'),
  },
  { path: '/hospital-monitoring/indicators/analysis', page: page(() => import('../systems/hospital-monitoring/indicators/AnalysisPage'), 'AnalysisPage') },
  { path: '/hospital-monitoring/indicators', page: page(() => import('../systems/hospital-monitoring/indicators/IndicatorsPage'), 'IndicatorsPage') },
  { path: '/hospital-monitoring/terminology', page: page(() => import('../systems/hospital-monitoring/terminology/TerminologyPage'), 'TerminologyPage') },
  { path: '/hospital-monitoring/data-quality', page: page(() => import('../systems/hospital-monitoring/data-quality/DataQualityPage'), 'DataQualityPage') },
  // 计划生育 (family-planning)
  {
    path: '/family-planning/childcare-subsidy',
    page: page(() => import('../systems/family-planning/childcare-subsidy/ChildcareSubsidyPage'), 'ChildcareSubsidyPage'),
  },
  {
    path: '/family-planning/birth-verification',
    page: page(() => import('../systems/family-planning/birth-verification/BirthVerificationPage'), 'BirthVerificationPage'),
  },
  {
    path: '/family-planning/marriage-verification',
    page: page(() => import('../systems/family-planning/marriage-verification/MarriageVerificationPage'), 'MarriageVerificationPage'),
  },
  {
    path: '/family-planning/household-verification',
    page: page(() => import('../systems/family-planning/household-verification/HouseholdVerificationPage'), 'HouseholdVerificationPage'),
  },
  { path: '/family-planning/base-codes', page: page(() => import('../systems/family-planning/base-codes/BaseCodesPage'), 'BaseCodesPage') },
];

/** Public pages: no sign-in and no console layout (e.g. the parent's SMS confirmation link, mobile). */
export const publicRoutes: PageRoute[] = [
  { path: '/m/subsidy/confirm/:token', page: page(() => import('../systems/family-planning/childcare-subsidy/ConfirmPage'), 'ConfirmPage') },
  { path: '/m/family-doctor', page: page(() => import('../systems/health-network/fd-services/PortalPage'), 'PortalPage') },
];
