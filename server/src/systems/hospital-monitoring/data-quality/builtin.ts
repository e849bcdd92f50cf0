import { and, dateAdd, isIn, isNull, lit, lt, gt, max, not, or, ref, today } from '../../../platform/rules/build.ts';
import type { DqRuleInput } from './definition.ts';
import { ICD10 } from './pattern.ts';

/** Built-in data-quality rules over the hospital data tables, one or more of every kind; `planted` names the world stage's defect. */
export const BUILTIN_DQ_RULES: (DqRuleInput & { code: string; planted?: string })[] = [
  {
    code: 'encounter.discharge.missing',
    planted: 'missing_discharge',
    kind: 'completeness',
    title: '已结束就诊缺少离院（出院）日期',
    source: 'encounter',
    field: 'discharged_on',
    definition: {
      when: and(isNull(ref('discharged_on')), or(isIn(ref('kind'), ['outpatient', 'emergency']), lt(ref('admitted_on'), dateAdd(today(), -90, 'day')))),
      suggest: max('charged_on', { over: ['fee_lines'] }),
    },
    suggestion: '门急诊就诊的离院日期即就诊当日；住院患者请按出院记录补录出院日期（建议值取该次就诊最后一笔收费日期）。',
    severity: 'high',
  },
  {
    code: 'diagnosis.icd.format',
    planted: 'malformed_icd',
    kind: 'format',
    title: '诊断编码不符合 ICD-10 格式',
    source: 'diagnosis',
    field: 'icd_code',
    definition: { when: lit(true), pattern: ICD10, normalize: 'icd' },
    suggestion: '诊断编码应为 ICD-10 格式（大写字母 + 两位数字，可带小数点和细目，如 J06.9）；常见问题为缺小数点、全角句点或多余空格，请按建议值核对后修正。',
    severity: 'medium',
  },
  {
    code: 'fee.date.outside_stay',
    planted: 'fee_outside_stay',
    kind: 'logic',
    title: '收费日期不在就诊（住院）期间',
    source: 'fee_line',
    field: 'charged_on',
    definition: {
      when: or(lt(ref('charged_on'), ref('encounter.admitted_on')), gt(ref('charged_on'), ref('encounter.discharged_on'))),
      suggest: ref('encounter.admitted_on'),
    },
    suggestion: '收费日期应在入院（就诊）日期与出院日期之间；请核对收费时间，多为补录时误填日期（建议值为就诊日期）。',
    severity: 'high',
  },
  {
    code: 'fee.practitioner.unknown',
    planted: 'unknown_practitioner',
    kind: 'reference',
    title: '收费明细的开单医师在医师库中不存在',
    source: 'fee_line',
    field: 'practitioner_id',
    definition: { when: and(not(isNull(ref('practitioner_id'))), isNull(ref('practitioner.id'))), suggest: ref('encounter.practitioner_id') },
    suggestion: '开单医师编号须是医师库中登记的医师；请核对 HIS 医师字典映射（建议值为该次就诊的接诊医师）。',
    severity: 'medium',
  },
  {
    code: 'procedure.surgeon.unknown',
    kind: 'reference',
    title: '手术操作的术者在医师库中不存在',
    source: 'procedure',
    field: 'surgeon_id',
    definition: { when: and(not(isNull(ref('surgeon_id'))), isNull(ref('surgeon.id'))), suggest: ref('encounter.practitioner_id') },
    suggestion: '术者编号须是医师库中登记的医师；请核对手麻系统的医师字典映射。',
    severity: 'medium',
  },
  {
    code: 'diagnosis.date.before_visit',
    kind: 'logic',
    title: '诊断日期早于就诊日期',
    source: 'diagnosis',
    field: 'diagnosed_on',
    definition: { when: lt(ref('diagnosed_on'), ref('encounter.admitted_on')), suggest: ref('encounter.admitted_on') },
    suggestion: '诊断日期不应早于就诊（入院）日期；请核对诊断录入时间。',
    severity: 'low',
  },
];
