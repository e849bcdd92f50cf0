import { rb, type Rule } from '../../../platform/rules/index.ts';
import type { Category } from './catalog.ts';

const { and, or, eq, ne, gt, lt, count, sum, isNull, isIn, not, ref, lit, startsWith } = rb;

/** A rule shipped with the module: seeded (disabled → enabled) on first start, then edited like any other. */
export interface BuiltinRule {
  code: string;
  category: Category;
  /** The world's planted-violation kind it detects (world.ts), for the accuracy test. */
  plantedKind: string;
  rule: Omit<Rule, 'id' | 'version'>;
}

const isItem = (code: string) => eq(ref('item_code'), lit(code));
const perPatientDay = [ref('encounter.person_id'), ref('charged_on')];
const perEncounterDay = [ref('encounter_id'), ref('charged_on')];
/** Thresholds of the built-in rules (the world keeps clean data well inside them). */
export const DOCTOR_DAILY_LIMIT = 40;
/** Diagnoses (ICD-10 prefixes) that justify an antibiotic: respiratory and urinary infections. */
export const INFECTION_PREFIXES = ['J', 'N39'] as const;

export const BUILTIN_RULES: readonly BuiltinRule[] = [
  {
    code: 'fee.ultrasound.daily',
    category: 'reasonable_fee',
    plantedKind: 'ultrasound_over_limit',
    rule: {
      source: 'fee_line',
      title: '同一患者同一天 B超 收费超过 2 次',
      when: and(isItem('B001'), gt(count({ by: perPatientDay, where: isItem('B001') }), 2)),
      select: [{ name: 'times', title: '当日次数', expr: count({ by: perPatientDay, where: isItem('B001') }) }],
    },
  },
  {
    code: 'fee.nursing.exclusive',
    category: 'reasonable_fee',
    plantedKind: 'exclusive_items',
    rule: {
      source: 'fee_line',
      title: '一级护理与特级护理同日重复收取',
      when: or(
        and(isItem('N001'), gt(count({ by: perEncounterDay, where: isItem('N002') }), 0)),
        and(isItem('N002'), gt(count({ by: perEncounterDay, where: isItem('N001') }), 0)),
      ),
    },
  },
  {
    code: 'tech.restricted.unauthorized',
    category: 'restricted_tech',
    plantedKind: 'restricted_tech_unauthorized',
    rule: {
      source: 'procedure',
      title: '术者未获授权开展限制类技术',
      when: and(
        not(isNull(ref('tech_code'))),
        or(isNull(ref('tech_auth.auth_key')), lt(ref('tech_auth.valid_to'), ref('performed_on')), gt(ref('tech_auth.valid_from'), ref('performed_on'))),
      ),
    },
  },
  {
    code: 'surgery.grade.exceeded',
    category: 'surgery_authorization',
    plantedKind: 'surgery_over_grade',
    rule: {
      source: 'procedure',
      title: '手术级别超出术者授权级别',
      when: and(not(isNull(ref('surgery_grade'))), or(isNull(ref('grade_auth.max_grade')), gt(ref('surgery_grade'), ref('grade_auth.max_grade')))),
      select: [
        { name: 'grade', title: '手术级别', expr: ref('surgery_grade') },
        { name: 'authorized', title: '授权级别', expr: ref('grade_auth.max_grade') },
      ],
    },
  },
  {
    code: 'diagnosis.pregnancy.male',
    category: 'diagnosis_accuracy',
    plantedKind: 'pregnancy_diagnosis_male',
    rule: {
      source: 'diagnosis',
      title: '男性患者出现妊娠相关诊断',
      when: and(startsWith(ref('icd_code'), 'O'), eq(ref('encounter.patient_sex'), lit('M'))),
    },
  },
  {
    code: 'treatment.inpatient_items.outpatient',
    category: 'reasonable_treatment',
    plantedKind: 'inpatient_items_outpatient',
    rule: {
      source: 'fee_line',
      title: '非住院就诊收取床位费或住院护理费',
      when: and(isIn(ref('item_code'), ['W001', 'N001', 'N002']), ne(ref('encounter.kind'), lit('inpatient'))),
      select: [{ name: 'kind', title: '就诊类型', expr: ref('encounter.kind') }],
    },
  },
  {
    code: 'tech.new.unapproved',
    category: 'new_tech',
    plantedKind: 'new_tech_unapproved',
    rule: {
      source: 'procedure',
      title: '机构未获准入开展新技术',
      when: and(
        not(isNull(ref('new_tech_code'))),
        or(
          isNull(ref('new_tech_approval.tech_key')),
          lt(ref('new_tech_approval.valid_to'), ref('performed_on')),
          gt(ref('new_tech_approval.approved_on'), ref('performed_on')),
        ),
      ),
    },
  },
  {
    code: 'staff.daily_encounters',
    category: 'staff_behavior',
    plantedKind: 'doctor_daily_overload',
    rule: {
      source: 'encounter',
      title: `医师单日接诊超过 ${DOCTOR_DAILY_LIMIT} 人次`,
      when: gt(count({ by: [ref('practitioner_id'), ref('admitted_on')] }), DOCTOR_DAILY_LIMIT),
      select: [{ name: 'visits', title: '当日接诊人次', expr: count({ by: [ref('practitioner_id'), ref('admitted_on')] }) }],
    },
  },
  {
    code: 'qualification.expired',
    category: 'practitioner_qualification',
    plantedKind: 'practitioner_cert_invalid',
    rule: {
      source: 'encounter',
      title: '接诊医师无有效执业证书',
      when: and(
        not(isNull(ref('practitioner_id'))),
        or(
          isNull(ref('qualification.practitioner_id')),
          gt(ref('admitted_on'), ref('qualification.valid_to')),
          lt(ref('admitted_on'), ref('qualification.valid_from')),
        ),
      ),
      select: [{ name: 'validTo', title: '证书有效期至', expr: ref('qualification.valid_to') }],
    },
  },
  {
    code: 'device.registration.invalid',
    category: 'device_qualification',
    plantedKind: 'device_registration_invalid',
    rule: {
      source: 'fee_line',
      title: '使用无有效注册证的医疗器械',
      when: and(
        not(isNull(ref('device_id'))),
        or(isNull(ref('device.registration_no')), isNull(ref('device.registration_valid_to')), gt(ref('charged_on'), ref('device.registration_valid_to'))),
      ),
      select: [{ name: 'validTo', title: '注册证有效期至', expr: ref('device.registration_valid_to') }],
    },
  },
  {
    code: 'device.usage.over_limit',
    category: 'device_usage',
    plantedKind: 'device_over_limit',
    rule: {
      source: 'fee_line',
      title: '同一就诊中器械收费数量超过限用数量',
      when: and(not(isNull(ref('device_id'))), gt(sum('qty', { by: [ref('encounter_id'), ref('device_id')] }), ref('device.max_per_encounter'))),
      select: [{ name: 'units', title: '本次就诊收费数量', expr: sum('qty', { by: [ref('encounter_id'), ref('device_id')] }) }],
    },
  },
  {
    code: 'treatment.antibiotic.no_infection',
    category: 'treatment_rationality',
    plantedKind: 'antibiotic_without_infection',
    rule: {
      source: 'fee_line',
      title: '无感染诊断使用抗菌药物',
      when: and(
        isItem('M002'),
        eq(count({ over: ['encounter', 'diagnoses'], where: or(...INFECTION_PREFIXES.map((p) => startsWith(ref('icd_code'), p))) }), 0),
      ),
    },
  },
];
