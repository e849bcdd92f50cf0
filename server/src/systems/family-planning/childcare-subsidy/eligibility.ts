import { defineCatalog, type Rule, rb, type SelectItem } from '../../../platform/rules/index.ts';

/**
 * The data catalog of the subsidy screening (one source: the screening snapshot of children, cs_child)
 * and the eligibility rule as a typed rule tree. Each criterion is also a select item, so one set-based
 * query gives every child its verdict and the reasons it was excluded.
 */
export const subsidyCatalog = defineCatalog({
  codeLists: [{ name: 'cs_status', title: '生存状态', codes: { alive: '在世', dead: '死亡' } }],
  sources: [
    {
      name: 'child',
      table: 'cs_child',
      title: '儿童',
      key: 'person_id',
      changedAt: 'changed_at',
      fields: [
        { name: 'person_id', type: 'integer', title: '人员编号' },
        { name: 'birth_date', type: 'date', title: '出生日期' },
        { name: 'hukou_district', type: 'code', title: '户籍所在区' },
        { name: 'district_code', type: 'code', title: '所属区' },
        { name: 'status', type: 'code', title: '生存状态', codeList: 'cs_status' },
        { name: 'already_granted', type: 'boolean', title: '已享受育儿补贴' },
        { name: 'parents_verified', type: 'boolean', title: '父母及出生信息已核实' },
        { name: 'birth_order', type: 'integer', title: '孩次' },
        { name: 'changed_at', type: 'timestamp', title: '信息变更时间' },
      ],
    },
  ],
});

export interface Policy {
  startDate: string;
  maxAgeYears: number;
  version: number;
}

export const REASONS = ['over_age', 'not_shanghai_hukou', 'dead', 'before_policy_start', 'already_granted', 'parents_unverified'] as const;
export type Reason = (typeof REASONS)[number];
export const REASON_TITLE: Record<Reason, string> = {
  over_age: '超过年龄上限',
  not_shanghai_hukou: '非本市户籍',
  dead: '已死亡',
  before_policy_start: '出生早于政策起始日期',
  already_granted: '已享受补贴',
  parents_unverified: '父母及出生信息未核实',
};

/** Each criterion: the reason recorded when it is not true (false or unknown). */
export function criteria(p: Policy): { reason: Reason; expr: ReturnType<typeof rb.and> }[] {
  const { ref, lit } = rb;
  return [
    { reason: 'over_age', expr: rb.lt(rb.age(ref('birth_date')), p.maxAgeYears) },
    { reason: 'not_shanghai_hukou', expr: rb.startsWith(ref('hukou_district'), '3101') },
    { reason: 'dead', expr: rb.eq(ref('status'), lit('alive')) },
    { reason: 'before_policy_start', expr: rb.ge(ref('birth_date'), rb.date(p.startDate)) },
    { reason: 'already_granted', expr: rb.eq(ref('already_granted'), false) },
    { reason: 'parents_unverified', expr: rb.eq(ref('parents_verified'), true) },
  ];
}

/** 育儿补贴人群筛选: under the age limit at the screening date, Shanghai 户籍, alive, born on/after the start, not granted, verified. */
export function eligibilityRule(p: Policy): Rule {
  return rb.rule('child', 'childcare-subsidy.eligibility', '育儿补贴免申即享对象', rb.and(...criteria(p).map((c) => c.expr)));
}

/** The same rule for every child: `when` always holds, the verdict and each criterion are selected. */
export function verdictRule(p: Policy): Rule {
  const cs = criteria(p);
  const select: SelectItem[] = [{ name: 'eligible', expr: rb.and(...cs.map((c) => c.expr)) }, ...cs.map((c) => ({ name: c.reason, expr: c.expr }))];
  return { ...rb.rule('child', 'childcare-subsidy.verdict', '育儿补贴筛选判定', rb.not(rb.isNull(rb.ref('person_id')))), select };
}
