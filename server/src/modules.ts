import { kernelModules } from './platform/kernel-modules.ts';
import type { WeijianModule } from './platform/module.ts';
import { masterDataModule } from './systems/common/master-data/module.ts';
import { residentIndexModule } from './systems/common/resident-index/module.ts';
import { complianceModule } from './systems/hospital-monitoring/compliance/module.ts';
import { hospitalDataModule } from './systems/hospital-monitoring/hospital-data/module.ts';
import { feeReviewModule } from './systems/hospital-monitoring/fee-review/module.ts';
import { indicatorsModule } from './systems/hospital-monitoring/indicators/module.ts';
import { dataQualityModule } from './systems/hospital-monitoring/data-quality/module.ts';
import { terminologyModule } from './systems/hospital-monitoring/terminology/module.ts';
import { birthVerificationModule } from './systems/family-planning/birth-verification/module.ts';
import { marriageVerificationModule } from './systems/family-planning/marriage-verification/module.ts';
import { householdVerificationModule } from './systems/family-planning/household-verification/module.ts';
import { baseCodesModule } from './systems/family-planning/base-codes/module.ts';
import { childcareSubsidyModule } from './systems/family-planning/childcare-subsidy/module.ts';
import { familyDoctorModule } from './systems/health-network/family-doctor/module.ts';
import { healthAssessmentModule } from './systems/health-network/health-assessment/module.ts';
import { fdServicesModule } from './systems/health-network/fd-services/module.ts';
import { fdPeopleModule } from './systems/health-network/fd-people/module.ts';
import { keyPopulationsModule } from './systems/health-network/key-populations/module.ts';
import { fdSupervisionModule } from './systems/health-network/fd-supervision/module.ts';

/**
 * The module registry: adding a business module means adding it here, and nowhere else in the kernel.
 * Order matters for migrations (a module may reference tables of modules above it).
 */
export const businessModules: readonly WeijianModule[] = [
  masterDataModule,
  residentIndexModule,
  familyDoctorModule,
  healthAssessmentModule,
  fdServicesModule,
  fdPeopleModule,
  keyPopulationsModule,
  fdSupervisionModule,
  hospitalDataModule,
  complianceModule,
  feeReviewModule,
  indicatorsModule,
  dataQualityModule,
  terminologyModule,
  birthVerificationModule,
  marriageVerificationModule,
  householdVerificationModule,
  baseCodesModule,
  childcareSubsidyModule,
];

export const allModules: readonly WeijianModule[] = [...kernelModules, ...businessModules];
