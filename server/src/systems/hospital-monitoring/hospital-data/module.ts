import { defineModule } from '../../../platform/module.ts';

const FROM = 'hospital-monitoring.compliance';

/**
 * The hospital data set (医院诊疗与收费数据): encounters, fee lines, diagnoses, procedures, practitioners'
 * authorisations and qualifications, devices, institutions' approved technologies, as hospitals deliver them.
 * Compliance monitoring, data quality, indicators and fee review all read it, so none of them owns it: they
 * read the exported tables, and change them only through this module (docs/architecture.md, "Module
 * boundaries"). Its migrations were compliance's 001, 004, 006 and 007, moved unchanged (`adopts`): a
 * database that applied them there keeps its tables and rows, and its records are re-keyed.
 */
export const hospitalDataModule = defineModule({
  name: 'hospital-monitoring.hospital-data',
  title: '医院诊疗与收费数据',
  system: 'hospital-monitoring',
  migrations: new URL('./migrations', import.meta.url).pathname,
  adopts: [
    { module: FROM, version: 1, as: 1 },
    { module: FROM, version: 4, as: 2 },
    { module: FROM, version: 6, as: 3 },
    { module: FROM, version: 7, as: 4 },
  ],
  exports: [
    'hm_encounter',
    'hm_fee_line',
    'hm_diagnosis',
    'hm_procedure',
    'hm_practitioner_authorization',
    'hm_practitioner_qualification',
    'hm_device',
    'hm_institution_technology',
    'hm_practitioner_v',
  ],
});
