import { extractText } from '../../../platform/documents/index.ts';
import { type PdfBlock, renderPdf } from '../../../platform/reports/index.ts';
import { maskName } from '../../../platform/util/resident-id.ts';
import { personName } from '../../../platform/world/names.ts';
import type { Rng, WorldContext, WorldStage } from '../../../platform/world/types.ts';
import * as repo from './repository.ts';
import { splitSections } from './sections.ts';
import type { Conclusion, FindingResult } from './state.ts';

/**
 * Demo-world stage: fee-deviation cases uploaded by hospitals (real PDFs with the usual chapters of a
 * case file, read and split exactly as an upload is), some waiting, some under review by the demo
 * expert, some concluded with per-dimension findings — so the list, the review and the statistics
 * have something to show on first start. The demo hospital account's institution gets the first cases.
 */
export const STAGE = 'fee-review';
const WORLD_USER = 'world:hospital';

interface Scenario {
  diagnosis: string;
  icd: string;
  chief: string;
  course: string;
  orders: [string, string, string][];
  fees: [string, number, number][];
  kind: 'high' | 'low';
  explanation: string;
}

const SCENARIOS: Scenario[] = [
  {
    diagnosis: '急性ST段抬高型心肌梗死',
    icd: 'I21.0',
    chief: '持续性胸痛3小时',
    kind: 'high',
    course: '急诊行冠状动脉造影，示前降支、回旋支多处重度狭窄，植入药物洗脱支架3枚，术后转入CCU监护。',
    orders: [
      ['长期', '阿司匹林肠溶片 100mg', '口服 每日一次'],
      ['长期', '替格瑞洛 90mg', '口服 每日两次'],
      ['临时', '冠状动脉造影+支架植入术', '急诊'],
    ],
    fees: [
      ['药物洗脱冠脉支架', 3, 15800],
      ['冠状动脉造影术', 1, 3200],
      ['CCU监护', 4, 680],
      ['床位费', 9, 50],
    ],
    explanation: '患者多支血管病变，植入3枚支架并入住CCU，费用高于病组标准属病情所需。',
  },
  {
    diagnosis: '股骨颈骨折',
    icd: 'S72.0',
    chief: '跌倒后右髋部疼痛伴活动受限1天',
    kind: 'high',
    course: '完善术前检查后行右侧全髋关节置换术，术后出现肺部感染，延长住院并使用抗菌药物治疗。',
    orders: [
      ['长期', '头孢呋辛 1.5g', '静滴 每8小时一次'],
      ['长期', '低分子肝素 4000IU', '皮下注射 每日一次'],
      ['临时', '全髋关节置换术', '择期'],
    ],
    fees: [
      ['人工髋关节假体', 1, 32000],
      ['全髋关节置换术', 1, 4800],
      ['抗菌药物', 12, 86],
      ['床位费', 18, 50],
    ],
    explanation: '高龄患者术后并发肺部感染，住院时间延长，药品及床位费用相应增加。',
  },
  {
    diagnosis: '重症肺炎',
    icd: 'J18.9',
    chief: '发热、咳嗽5天，气促1天',
    kind: 'high',
    course: '入院后呼吸衰竭加重，转入ICU行气管插管机械通气，先后使用碳青霉烯类及抗真菌药物。',
    orders: [
      ['长期', '美罗培南 1g', '静滴 每8小时一次'],
      ['长期', '伏立康唑 200mg', '静滴 每12小时一次'],
      ['临时', '气管插管术', '急诊'],
    ],
    fees: [
      ['ICU监护', 8, 1200],
      ['呼吸机辅助呼吸', 8, 560],
      ['美罗培南', 24, 210],
      ['床位费', 16, 50],
    ],
    explanation: '病情危重，ICU治疗8天，高级抗菌药物使用符合病原学结果。',
  },
  {
    diagnosis: '脑梗死',
    icd: 'I63.9',
    chief: '突发左侧肢体无力2小时',
    kind: 'low',
    course: '急诊静脉溶栓后症状明显改善，第3天病情稳定，患者要求转康复医院继续治疗。',
    orders: [
      ['临时', '阿替普酶 50mg', '静脉溶栓'],
      ['长期', '阿托伐他汀 20mg', '口服 每晚一次'],
      ['临时', '头颅MRI', '急查'],
    ],
    fees: [
      ['阿替普酶', 1, 5600],
      ['头颅MRI', 1, 780],
      ['床位费', 3, 50],
    ],
    explanation: '溶栓效果良好，住院3天即转康复医院，费用低于病组标准。',
  },
  {
    diagnosis: '结肠恶性肿瘤',
    icd: 'C18.9',
    chief: '间断便血2月',
    kind: 'high',
    course: '行腹腔镜结肠癌根治术，术后病理示T3N1M0，术后第7天出现吻合口瘘，再次手术并延长住院。',
    orders: [
      ['临时', '腹腔镜结肠癌根治术', '择期'],
      ['临时', '剖腹探查+肠造口术', '急诊'],
      ['长期', '肠外营养', '静滴 每日一次'],
    ],
    fees: [
      ['腔镜吻合器', 2, 6800],
      ['手术费', 2, 5200],
      ['肠外营养', 14, 320],
      ['床位费', 22, 50],
    ],
    explanation: '术后吻合口瘘行二次手术，住院22天，费用高于病组标准。',
  },
];

const ISSUES: Record<string, string[]> = {
  diagnosis: ['主要诊断选择不当，应以手术治疗的疾病为主要诊断', '其他诊断漏填并发症'],
  examination: ['术前重复进行同类影像检查', '部分检验项目无明确指征'],
  medication: ['抗菌药物升级使用缺少病原学依据', '辅助用药使用时间过长'],
  treatment: ['住院天数偏长，出院指征已具备', '监护级别高于病情需要'],
  charging: ['耗材收费数量与手术记录不符', '存在分解收费'],
  record: ['病程记录未记载费用较高项目的使用理由', '医嘱与费用清单不一致'],
};

function caseBlocks(rng: Rng, s: Scenario, caseNo: string, patient: string, sex: string, admitted: string, discharged: string, total: number): PdfBlock[] {
  return [
    { kind: 'heading', text: '病案首页' },
    {
      kind: 'keyValue',
      pairs: [
        ['病案号', caseNo],
        ['姓名', patient],
        ['性别', sex],
        ['入院日期', admitted],
        ['出院日期', discharged],
        ['主要诊断', `${s.diagnosis}（${s.icd}）`],
        ['住院总费用', `${total.toFixed(2)} 元`],
      ],
    },
    { kind: 'heading', text: '入院记录' },
    { kind: 'paragraph', text: `主诉：${s.chief}。既往史：${rng.pick(['高血压病史10年', '2型糖尿病史5年', '否认慢性病史'])}。` },
    { kind: 'heading', text: '病程记录' },
    { kind: 'paragraph', text: s.course },
    { kind: 'heading', text: '医嘱' },
    { kind: 'table', columns: ['类别', '医嘱内容', '用法'], rows: s.orders },
    { kind: 'heading', text: '费用清单' },
    { kind: 'table', columns: ['项目', '数量', '单价（元）', '金额（元）'], rows: s.fees.map(([n, q, p]) => [n, q, p, q * p]) },
    { kind: 'heading', text: '出院记录' },
    { kind: 'paragraph', text: `${s.kind === 'low' ? '转院' : '好转出院'}。出院诊断：${s.diagnosis}。` },
  ];
}

const at = (day: string, addDays: number, hour: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + addDays);
  return `${d.toISOString().slice(0, 10)} ${String(hour).padStart(2, '0')}:00:00+08`;
};

async function generate(ctx: WorldContext): Promise<void> {
  const rng = ctx.rng(STAGE);
  const hospitals = await ctx.db.query<{ id: number; name: string; district_code: string }>(
    `select id::int as id, name, district_code from institution
      where kind in ('city_hospital', 'district_hospital', 'specialist_hospital') and active
      order by (kind = 'city_hospital' and level = 3 and category = '综合' and parent_id is null and grade = '甲') desc, id`,
  );
  if (hospitals.length === 0) return;
  const dims = await repo.listDimensions(ctx.db, true);
  const defs = await repo.listSectionDefs(ctx.db, true);
  const total = Math.min(40, Math.max(12, Math.round(ctx.residents / 1000)));
  for (let i = 0; i < total; i++) {
    ctx.progress('费用偏离病例', i, total);
    // The demo hospital account's institution (first in the order above) gets every third case.
    const h = i % 3 === 0 ? hospitals[0]! : rng.pick(hospitals);
    const s = rng.pick(SCENARIOS);
    const sex = rng.chance(0.5) ? 'M' : 'F';
    const patient = personName(rng, sex, rng.int(1940, 1990), true);
    const caseNo = `ZY${ctx.asOf.slice(0, 4)}${String(10001 + i)}`;
    const uploadDay = -rng.int(3, 330);
    const admitted = at(ctx.asOf, uploadDay - 30, 0).slice(0, 10);
    const discharged = at(ctx.asOf, uploadDay - 30 + rng.int(3, 22), 0).slice(0, 10);
    const amount = s.fees.reduce((sum, [, q, p]) => sum + q * p, 0) + rng.int(800, 6000);
    const pdf = await renderPdf({
      title: `${h.name} 住院病历`,
      subtitle: `病案号 ${caseNo}`,
      blocks: caseBlocks(rng, s, caseNo, maskName(patient), sex === 'M' ? '男' : '女', admitted, discharged, amount),
    });
    const doc = await extractText(pdf, `${caseNo}.pdf`);
    const id = await repo.insertCase(ctx.db, {
      institutionId: h.id,
      districtCode: h.district_code,
      caseNo,
      patientMask: maskName(patient),
      dischargedOn: discharged,
      totalAmount: amount,
      deviationKind: s.kind,
      explanation: s.explanation,
      filename: `${caseNo}.pdf`,
      pdf,
      pageCount: doc.pages?.length ?? null,
      text: doc.text,
      sections: splitSections(doc.text, defs),
      uploadedBy: WORLD_USER,
    });
    await ctx.db.query('update fr_case set uploaded_at = $2 where id = $1', [id, at(ctx.asOf, uploadDay, 9)]);
    const stage = rng.weighted([
      ['uploaded', 4],
      ['under_review', 2],
      ['concluded', 4],
    ] as const);
    if (stage === 'uploaded' || uploadDay > -6) continue;
    await ctx.db.query(`update fr_case set status = 'under_review', reviewer = 'expert', review_started_at = $2 where id = $1`, [
      id,
      at(ctx.asOf, uploadDay + 2, 14),
    ]);
    if (stage === 'under_review') continue;
    const findings = dims.map((d) => {
      const issue = rng.chance(0.25) && ISSUES[d.code];
      return { dimensionCode: d.code, dimensionTitle: d.title, result: (issue ? 'issue' : 'compliant') as FindingResult, note: issue ? rng.pick(issue) : null };
    });
    await repo.insertFindings(ctx.db, { id, institutionId: h.id, districtCode: h.district_code }, findings);
    const issues = findings.filter((f) => f.result === 'issue').length;
    const conclusion: Conclusion = issues === 0 ? 'reasonable' : issues === 1 ? 'partly_reasonable' : 'unreasonable';
    const note =
      issues === 0
        ? '费用偏离有合理的临床原因，病历记录完整。'
        : `存在${issues}项问题：${findings
            .filter((f) => f.note)
            .map((f) => f.note)
            .join('；')}。`;
    await ctx.db.query(`update fr_case set status = 'concluded', conclusion = $2, conclusion_note = $3, concluded_at = $4 where id = $1`, [
      id,
      conclusion,
      note,
      at(ctx.asOf, uploadDay + 5, 16),
    ]);
  }
  ctx.progress('费用偏离病例', total, total);
}

const WORLD_ROWS = `uploaded_by = '${WORLD_USER}'`;

export const feeReviewWorld: WorldStage = {
  name: STAGE,
  order: 60,
  title: '费用偏离病例（含核查中与已出结论的病例）',
  tables: [
    {
      table: 'fr_case',
      orderBy: 'id',
      columns: ['id', 'institution_id', 'district_code', 'case_no', 'patient_mask', 'total_amount', 'deviation_kind', 'status', 'conclusion'],
      where: WORLD_ROWS,
    },
    {
      table: 'fr_case_finding',
      orderBy: 'case_id, dimension_code',
      columns: ['case_id', 'dimension_code', 'result', 'note'],
      where: `case_id in (select id from fr_case where ${WORLD_ROWS})`,
    },
  ],
  run: generate,
};
