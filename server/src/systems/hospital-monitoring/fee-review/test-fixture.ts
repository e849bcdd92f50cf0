import type { Database } from '../../../platform/db/types.ts';
import { buildPdf } from '../../../platform/documents/testing.ts';

/** Two hospitals in two districts for the fee-review tests. */
export const FR = { instA: 710001, instB: 710002, districtA: '310104', districtB: '310101' } as const;

export async function seedInstitutions(db: Database): Promise<void> {
  await db.exec(`
    insert into institution (id, code, name, kind, level, district_code) values
      (${FR.instA}, 'FR-A', '核查甲医院', 'district_hospital', 2, '${FR.districtA}'),
      (${FR.instB}, 'FR-B', '核查乙医院', 'city_hospital', 3, '${FR.districtB}')
    on conflict do nothing;
  `);
}

/** A case file as hospitals export it: front page, admission note, progress notes, orders, fee list. */
export function casePdf(caseNo: string): Promise<Buffer> {
  return buildPdf([
    ['上海市核查甲医院', '住院病案首页', `病案号：${caseNo} 姓名：王*明 性别：男`, '主要诊断：急性心肌梗死'],
    ['入院记录', '主诉：胸痛3小时。', '首次病程记录', '患者入院后行急诊冠脉造影。'],
    ['长期医嘱单', '阿司匹林肠溶片 100mg 口服 每日一次', '住院费用清单', '床位费 50元', '冠脉支架 3枚 合计 45000元'],
  ]);
}
