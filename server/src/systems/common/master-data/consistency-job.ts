import type { JobDef } from '../../../platform/jobs/types.ts';

/** Each check: a zh-CN label and a query counting the master-data rows that break it. */
const CHECKS: [label: string, sql: string][] = [
  ['在岗医务人员所属机构已停用', 'select count(*)::int as n from practitioner p join institution i on i.id = p.institution_id where p.active and not i.active'],
  ['家庭医生团队没有团队长', 'select count(*)::int as n from team where active and leader_id is null'],
  ['团队长不属于本团队所在机构', 'select count(*)::int as n from team t join practitioner p on p.id = t.leader_id where p.institution_id <> t.institution_id'],
  [
    '分院的总院本身也是分院（层级超过两级）',
    'select count(*)::int as n from institution b join institution m on m.id = b.parent_id where m.parent_id is not null',
  ],
  [
    '医务人员的区与所属机构不一致',
    'select count(*)::int as n from practitioner p join institution i on i.id = p.institution_id where p.district_code <> i.district_code',
  ],
  ['社区卫生服务中心未指定街镇', "select count(*)::int as n from institution where kind = 'chc' and street_code is null"],
];

/** 主数据一致性检查: a nightly report of master-data rows that contradict each other (read only). */
export const consistencyJob: JobDef = {
  name: 'master-data.consistency-check',
  title: '主数据一致性检查',
  defaultCron: '30 1 * * *',
  defaultEnabled: true,
  async handler(ctx) {
    const found: Record<string, number> = {};
    await ctx.progress(0, CHECKS.length);
    for (const [i, [label, sql]] of CHECKS.entries()) {
      const r = (await ctx.transaction((tx) => tx.query<{ n: number }>(sql)))[0]!; // count(*): one row
      found[label] = r.n;
      await ctx.log(`${label}：${r.n} 条`);
      await ctx.progress(i + 1, CHECKS.length);
    }
    const problems = Object.values(found).reduce((a, b) => a + b, 0);
    await ctx.log(problems === 0 ? '主数据一致，未发现问题' : `共发现 ${problems} 条需核对的主数据`);
    return { problems, checks: found };
  },
};
