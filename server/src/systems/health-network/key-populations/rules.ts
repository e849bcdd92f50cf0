import { defineCatalog, type Expr, type Rule, rb } from '../../../platform/rules/index.ts';

/**
 * 重点人群标识: the ten key-population tags and the change-rights tag, each a rule of the shared rule
 * engine over the catalog below (residents, their registered conditions, their contracts and contract
 * events). The same rule object is compiled to SQL for the nightly refresh and for the one resident
 * recomputed when a condition changes, and described as a Chinese sentence on the 标签规则 screen.
 */

export const CONDITION_KINDS = [
  'pregnancy',
  'postpartum',
  'disability',
  'hypertension',
  'diabetes',
  'tuberculosis',
  'fp_special_family',
  'copd',
  'colorectal_cancer',
] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];
export const CONDITION_TITLE: Record<ConditionKind, string> = {
  pregnancy: '孕期',
  postpartum: '产后（产褥期）',
  disability: '残疾',
  hypertension: '高血压',
  diabetes: '糖尿病',
  tuberculosis: '肺结核',
  fp_special_family: '计划生育特殊家庭',
  copd: '慢性阻塞性肺疾病',
  colorectal_cancer: '大肠癌',
};

export const TAGS = [
  'elderly',
  'maternal',
  'child',
  'disabled',
  'hypertension',
  'diabetes',
  'tuberculosis',
  'fp_special_family',
  'copd',
  'colorectal_cancer',
  'change_rights',
] as const;
export type TagCode = (typeof TAGS)[number];
export const TAG_TITLE: Record<TagCode, string> = {
  elderly: '65岁及以上老年人',
  maternal: '孕产妇',
  child: '0–6岁儿童',
  disabled: '残疾人',
  hypertension: '高血压患者',
  diabetes: '糖尿病患者',
  tuberculosis: '肺结核患者',
  fp_special_family: '计划生育特殊家庭',
  copd: '慢阻肺患者',
  colorectal_cancer: '大肠癌患者',
  change_rights: '变更签约年内有签约/解约权',
};
/** The ten key populations (重点人群); change_rights is a tag too but not a key population. */
export const KEY_POPULATIONS: readonly TagCode[] = TAGS.filter((t) => t !== 'change_rights');

export const keyPopulationCatalog = defineCatalog({
  codeLists: [
    { name: 'kp_sex', title: '性别', codes: { M: '男', F: '女', U: '未知' } },
    { name: 'kp_status', title: '生存状态', codes: { alive: '在世', dead: '死亡' } },
    { name: 'kp_condition_kind', title: '登记类别', codes: CONDITION_TITLE },
    { name: 'kp_contract_status', title: '签约状态', codes: { active: '在约', terminated: '已解约' } },
    {
      name: 'kp_event_kind',
      title: '签约事件',
      codes: {
        sign: '签约',
        change_doctor: '变更家庭医生',
        transfer_in_community: '社区内转签',
        change_hospitals: '变更上级医院',
        renew: '续约',
        terminate: '解约',
        transfer: '转签',
      },
    },
  ],
  sources: [
    {
      name: 'resident',
      table: 'kp_person',
      title: '居民',
      key: 'id',
      fields: [
        { name: 'id', type: 'integer', title: '居民编号' },
        { name: 'birth_date', type: 'date', title: '出生日期' },
        { name: 'sex', type: 'code', title: '性别', codeList: 'kp_sex' },
        { name: 'status', type: 'code', title: '生存状态', codeList: 'kp_status' },
        { name: 'district', type: 'code', title: '居住区', column: 'residence_district' },
      ],
    },
    {
      name: 'condition',
      table: 'kp_condition',
      title: '登记信息',
      key: 'id',
      changedAt: 'updated_at',
      fields: [
        { name: 'id', type: 'integer', title: '登记编号' },
        { name: 'person_id', type: 'integer', title: '居民编号' },
        { name: 'kind', type: 'code', title: '登记类别', codeList: 'kp_condition_kind' },
        { name: 'registered_on', type: 'date', title: '登记日期' },
        { name: 'ends_on', type: 'date', title: '结案日期' },
        { name: 'updated_at', type: 'timestamp', title: '更新时间' },
      ],
    },
    {
      name: 'contract',
      table: 'fd_contract_v',
      title: '家庭医生签约',
      key: 'id',
      fields: [
        { name: 'id', type: 'integer', title: '签约编号' },
        { name: 'person_id', type: 'integer', title: '居民编号' },
        { name: 'status', type: 'code', title: '签约状态', codeList: 'kp_contract_status' },
        { name: 'cycle_end', type: 'date', title: '签约周期结束日期' },
      ],
    },
    {
      name: 'contract_event',
      table: 'fd_contract_event_v',
      title: '签约事件',
      key: 'id',
      fields: [
        { name: 'id', type: 'integer', title: '事件编号' },
        { name: 'person_id', type: 'integer', title: '居民编号' },
        { name: 'kind', type: 'code', title: '事件类别', codeList: 'kp_event_kind' },
        { name: 'on_date', type: 'date', title: '办理日期' },
      ],
    },
  ],
  relations: [
    {
      name: 'resident',
      title: '居民',
      from: 'condition',
      fromField: 'person_id',
      to: 'resident',
      cardinality: 'one',
      inverse: { name: 'conditions', title: '登记信息' },
    },
    {
      name: 'resident',
      title: '居民',
      from: 'contract',
      fromField: 'person_id',
      to: 'resident',
      cardinality: 'one',
      inverse: { name: 'contracts', title: '签约' },
    },
    {
      name: 'resident',
      title: '居民',
      from: 'contract_event',
      fromField: 'person_id',
      to: 'resident',
      cardinality: 'one',
      inverse: { name: 'contract_events', title: '签约事件' },
    },
  ],
});

/** The change-sign year policy the change_rights rule needs (family-doctor's fd_setting). */
export interface ChangePolicy {
  changeYearDays: number;
  maxDoctorChanges: number;
}
export const DEFAULT_CHANGE_POLICY: ChangePolicy = { changeYearDays: 365, maxDoctorChanges: 1 };

const { ref, lit } = rb;
const alive = (): Expr => rb.eq(ref('status'), lit('alive'));
/** A registration of one of `kinds` in force today (not ended, or ending today or later). */
const registered = (kinds: ConditionKind[]): Expr =>
  rb.gt(rb.count({ over: ['conditions'], where: rb.and(rb.isIn(ref('kind'), kinds), rb.or(rb.isNull(ref('ends_on')), rb.ge(ref('ends_on'), rb.today()))) }), 0);

/** The rule of one tag. */
export function tagRule(tag: TagCode, p: ChangePolicy = DEFAULT_CHANGE_POLICY): Rule {
  const r = (when: Expr) => rb.rule('resident', `key-populations.${tag}`, TAG_TITLE[tag], when);
  switch (tag) {
    case 'elderly':
      return r(rb.and(alive(), rb.ge(rb.age(ref('birth_date')), 65)));
    case 'child':
      return r(rb.and(alive(), rb.lt(rb.age(ref('birth_date')), 7)));
    case 'maternal':
      return r(rb.and(alive(), rb.eq(ref('sex'), lit('F')), registered(['pregnancy', 'postpartum'])));
    case 'disabled':
      return r(rb.and(alive(), registered(['disability'])));
    case 'change_rights':
      // In force with a contract, and fewer changes of family doctor in the last change-sign year than allowed.
      return r(
        rb.and(
          alive(),
          rb.gt(rb.count({ over: ['contracts'], where: rb.eq(ref('status'), lit('active')) }), 0),
          rb.lt(
            rb.count({
              over: ['contract_events'],
              where: rb.and(rb.eq(ref('kind'), lit('change_doctor')), rb.gt(ref('on_date'), rb.dateAdd(rb.today(), -p.changeYearDays, 'day'))),
            }),
            p.maxDoctorChanges,
          ),
        ),
      );
    default:
      return r(rb.and(alive(), registered([tag])));
  }
}

export const tagRules = (p: ChangePolicy = DEFAULT_CHANGE_POLICY): Map<TagCode, Rule> => new Map(TAGS.map((t) => [t, tagRule(t, p)]));
