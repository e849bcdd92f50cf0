import { rb, type Rule } from '../../../platform/rules/index.ts';
import type { Category } from './catalog.ts';

const { and, or, eq, gt, lt, count, isNull, not, ref, lit, startsWith } = rb;

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
      when: and(
        not(isNull(ref('surgery_grade'))),
        or(isNull(ref('grade_auth.max_grade')), gt(ref('surgery_grade'), ref('grade_auth.max_grade'))),
      ),
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
];
