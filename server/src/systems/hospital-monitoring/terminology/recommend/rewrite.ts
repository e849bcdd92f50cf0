// Clinician phrasing → coding-table phrasing, as a second query beside the original (never instead of it):
// common clinical abbreviations, hedges (待查/可能), stage and laterality words the tables do not carry,
// and the coding conventions (a tumour removed is a 病损; X癌 is X恶性肿瘤; an implant is 取出 as 装置去除).
// The rules are general medical usage written by hand, not mined from any normalization set.

export interface Rule {
  /** Short zh-CN name shown in the recommendation's reasons. */
  name: string;
  re: RegExp;
  to: string;
}

// Latin abbreviations only as whole tokens: "AS" must not fire inside "ASD".
const abbr = (name: string, latin: string, to: string): Rule => ({ name, re: new RegExp(`(?<![A-Za-z])(?:${latin})(?![A-Za-z])`, 'gi'), to });
const word = (name: string, re: RegExp, to: string): Rule => ({ name, re, to });

/** Abbreviations and short forms clinicians write for diagnoses. */
export const ABBREVIATIONS: Rule[] = [
  word('冠心病', /冠心病/g, '冠状动脉粥样硬化性心脏病'),
  word('高心病', /高心病/g, '高血压性心脏病'),
  word('风心病', /风心病/g, '风湿性心脏病'),
  word('肺心病', /肺心病/g, '肺源性心脏病'),
  word('先心病', /先心病/g, '先天性心脏病'),
  word('心梗', /心梗(?!死|塞)/g, '心肌梗死'),
  word('脑梗', /脑梗(?!死|塞)/g, '脑梗死'),
  word('腔梗', /腔梗(?!死|塞)/g, '腔隙性脑梗死'),
  word('梗塞', /梗塞/g, '梗死'),
  word('房颤', /房颤/g, '心房颤动'),
  word('房扑', /房扑/g, '心房扑动'),
  word('室早', /室早/g, '室性早搏'),
  word('房早', /房早/g, '房性早搏'),
  word('室速', /室速/g, '室性心动过速'),
  word('慢阻肺', /慢阻肺/g, '慢性阻塞性肺疾病'),
  word('慢支', /慢支(?!气)/g, '慢性支气管炎'),
  word('上感', /上感/g, '上呼吸道感染'),
  word('乙肝', /乙肝/g, '乙型病毒性肝炎'),
  word('丙肝', /丙肝/g, '丙型病毒性肝炎'),
  word('甲亢', /甲亢/g, '甲状腺功能亢进症'),
  word('甲减', /甲减/g, '甲状腺功能减退症'),
  word('心衰', /心衰(?!竭)/g, '心力衰竭'),
  word('肾衰', /肾衰(?!竭)/g, '肾衰竭'),
  word('呼衰', /呼衰(?!竭)/g, '呼吸衰竭'),
  word('心功不全', /心功(?=不全|能?不齐)/g, '心功能'),
  word('肾功不全', /肾功(?=不全)/g, '肾功能'),
  word('高血脂', /高血脂(?!症)/g, '高脂血症'),
  word('鳞癌', /鳞癌/g, '鳞状细胞癌'),
  word('综合症', /综合症/g, '综合征'),
  word('返流', /返流/g, '反流'),
  word('黑朦', /黑朦/g, '黑矇'),
  word('植物神经', /植物神经/g, '自主神经'),
  word('割伤→开放性损伤', /(?:切)?割伤|刺伤|(?<!撕)裂伤/g, '开放性损伤'),
  word('包块→肿物', /包块/g, '肿物'),
  abbr('Crohn', 'Crohn', '克罗恩'),
  abbr('CHB', 'CHB', '慢性乙型病毒性肝炎'),
  // Ca written for 癌 (case matters: CA125 is a tumour marker, not a cancer).
  { name: 'Ca', re: /(?<![A-Za-z])Ca(?![A-Za-z0-9])/g, to: '癌' },
  abbr('COPD', 'COPD|AECOPD', '慢性阻塞性肺疾病'),
  abbr('T2DM', 'T2DM|2型DM', '2型糖尿病'),
  abbr('T1DM', 'T1DM|1型DM', '1型糖尿病'),
  abbr('DM', 'DM', '糖尿病'),
  abbr('TIA', 'TIA', '短暂性脑缺血发作'),
  abbr('CKD', 'CKD', '慢性肾脏病'),
  abbr('AKI', 'AKI', '急性肾损伤'),
  abbr('ARDS', 'ARDS', '急性呼吸窘迫综合征'),
  abbr('MODS', 'MODS', '多器官功能障碍综合征'),
  abbr('DLBCL', 'DLBCL', '弥漫大B细胞淋巴瘤'),
  abbr('HCC', 'HCC', '肝细胞癌'),
  abbr('ITP', 'ITP', '特发性血小板减少性紫癜'),
  abbr('NSCLC', 'NSCLC', '非小细胞肺癌'),
  abbr('SCLC', 'SCLC', '小细胞肺癌'),
  // CIN is followed by its grade (CINI, CINⅡ), so it cannot wait for a non-letter.
  { name: 'CIN', re: /(?<![A-Za-z])CIN(?=[IⅠⅡⅢ]{1,3}(?![A-Za-z])|(?![A-Za-z]))/gi, to: '宫颈上皮内瘤变' },
  abbr('GERD', 'GERD', '胃食管反流病'),
  abbr('BPH', 'BPH', '前列腺增生'),
  abbr('OSAHS', 'OSAHS|OSAS', '阻塞性睡眠呼吸暂停低通气综合征'),
  abbr('SLE', 'SLE', '系统性红斑狼疮'),
  abbr('RA', 'RA', '类风湿关节炎'),
  abbr('UC', 'UC', '溃疡性结肠炎'),
  abbr('PCOS', 'PCOS', '多囊卵巢综合征'),
  abbr('DVT', 'DVT', '深静脉血栓形成'),
  abbr('AMI', 'AMI', '急性心肌梗死'),
  abbr('STEMI', 'STEMI', '急性ST段抬高型心肌梗死'),
  abbr('NSTEMI', 'NSTEMI', '急性非ST段抬高型心肌梗死'),
  abbr('AML', 'AML', '急性髓系白血病'),
  abbr('ALL', 'ALL', '急性淋巴细胞白血病'),
  abbr('CML', 'CML', '慢性髓系白血病'),
  abbr('MDS', 'MDS', '骨髓增生异常综合征'),
  abbr('HIV', 'HIV', '人类免疫缺陷病毒'),
  abbr('HBV', 'HBV', '乙型肝炎病毒'),
  // Procedures.
  abbr('ORIF', 'ORIF', '切开复位内固定术'),
  abbr('VATS', 'VATS', '胸腔镜'),
  abbr('PCI', 'PCI', '经皮冠状动脉介入治疗'),
  abbr('PTCA', 'PTCA', '经皮冠状动脉腔内血管成形术'),
  abbr('ERCP', 'ERCP', '内镜逆行胰胆管造影'),
  abbr('TURP', 'TURP', '经尿道前列腺切除术'),
  abbr('TURBT', 'TURBT', '经尿道膀胱病损切除术'),
  abbr('PCNL', 'PCNL', '经皮肾镜取石术'),
  abbr('LC', 'LC', '腹腔镜胆囊切除术'),
  abbr('ESD', 'ESD', '内镜黏膜下剥离术'),
  abbr('EMR', 'EMR', '内镜黏膜切除术'),
  abbr('FFA', 'FFA', '荧光素血管造影'),
  abbr('ASD', 'ASD', '房间隔缺损'),
  abbr('VSD', 'VSD', '室间隔缺损'),
  abbr('PDA', 'PDA', '动脉导管未闭'),
  abbr('DSA', 'DSA', '数字减影血管造影'),
];

/** Words that qualify the clinician's certainty or the stage: the code tables carry none of them. */
export const HEDGES: Rule[] = [
  word('去掉“待查/可能”', /(?:原因)?待(?:查|除外|排除?)|查因|可能性大|可能|不除外|疑似|[？?]/g, ''),
  word('去掉分期', /[pcy]?T[0-4x][a-c]?N[0-3x][a-c]?M[01x][a-c]?|(?:[IVⅠⅡⅢⅣ]+|[1-4])[a-cA-C]?期|[早晚]期/g, ''),
];

/** Laterality: the tables name a side only as 单侧/双侧. */
const SIDE = /(?:左|右)侧|^(?:左|右)(?![心室房半束])/g;

/** Coding conventions for procedures: what the tables call the lesion, the removal, the biopsy. */
export const PROCEDURE_CONVENTIONS: Rule[] = [
  word(
    '肿物→病损',
    /(?:(?:海绵状血管|血管|脂肪|纤维|腺|神经鞘|脑膜|胶质|畸胎|平滑肌|囊腺|软骨|骨|淋巴管)?瘤|肿瘤|肿物|肿块|新生物|息肉|囊肿|占位|结节|包块|赘生物)(?=(?:激光|电)?(?:切除|摘除|剜除|消融))/g,
    '病损',
  ),
  word('摘除→切除', /摘除|剜除/g, '切除'),
  word('次全切→次全切除', /次全切(?!除)/g, '次全切除'),
  word('全切→全部切除', /(?<!次)全切(?!除)/g, '全部切除'),
  word('部分切→部分切除', /部分切(?!除)/g, '部分切除'),
  word('活检→活组织检查', /活检/g, '活组织检查'),
  word('内固定取出→内固定装置去除', /内固定(?:物|装置)?(?:取出|拆除)|取内固定(?:物|装置)?/g, '内固定装置去除'),
  word('双J管→输尿管支架', /(?:双|D-?)J管/gi, '输尿管支架'),
  word('植入→置入', /植入/g, '置入'),
  word('造瘘→造口', /造瘘/g, '造口'),
  word('更换→置换', /更换/g, '置换'),
];

/** X癌 (with its histology, but not the 腺 of 乳腺/甲状腺/前列腺…) → X恶性肿瘤; metastasis → 继发恶性肿瘤: how the disease tables name the site. */
export const TUMOUR_SITE: Rule[] = [
  word('转移→继发恶性肿瘤', /转移(?:性)?(?:癌|瘤)?/g, '继发恶性肿瘤'),
  word(
    '癌→恶性肿瘤',
    /(?:[低中高]+分化)?(?:浸润性导管|浸润性小叶|浸润性|导管|小叶|鳞状细胞|腺鳞|鳞|(?<![乳状列胰腮涎泪汗])腺|小细胞|非小细胞|大细胞|乳头状|浆液性|黏液性|粘液性|未分化|印戒细胞|透明细胞|基底细胞)?癌(?!症)/g,
    '恶性肿瘤',
  ),
];

export interface Rewritten {
  text: string;
  /** Names of the rules that changed the text, in order. */
  rules: string[];
}

function apply(rules: Rule[], s: string, used: string[]): string {
  let out = s;
  for (const r of rules) {
    const next = out.replace(r.re, r.to);
    if (next !== out) {
      used.push(r.name);
      out = next;
    }
  }
  return out;
}

/** The table-style form of a phrase (the same phrase when no rule applies). */
export function rewrite(text: string): Rewritten {
  const used: string[] = [];
  let s = apply(ABBREVIATIONS, text.trim(), used);
  s = apply(HEDGES, s, used);
  const procedure = /术(?!后)|切除|置入|成形|修补|吻合|活检|造口|造瘘|引流|穿刺|取出|ORIF/i.test(s);
  const oneSide = /左|右/.test(s.match(SIDE)?.join('') ?? '') && !/双/.test(s);
  const noSide = s.replace(SIDE, '');
  if (noSide !== s) {
    used.push(procedure && oneSide ? '左/右→单侧' : '去掉左/右');
    s = procedure && oneSide ? `单侧${noSide}` : noSide;
  }
  s = apply(procedure ? PROCEDURE_CONVENTIONS : TUMOUR_SITE, s, used);
  return { text: s.trim(), rules: used };
}
