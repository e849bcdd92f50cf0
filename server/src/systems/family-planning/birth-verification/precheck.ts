/**
 * 审核预检: the rule checks run on a verification task before a street approves it, as small pure
 * functions over the facts gathered from the population index and the birth records (precheck-facts.ts).
 * Each finding carries a zh-CN message; 'block' findings stop an approval as 属实 unless the approver
 * states why it is right anyway, 'warn' findings are shown only.
 */
export type CheckCode =
  | 'mother_not_found'
  | 'mother_name_mismatch'
  | 'father_not_found'
  | 'father_name_mismatch'
  | 'child_not_linked'
  | 'name_mismatch'
  | 'birth_date_mismatch'
  | 'child_dead'
  | 'missing_hukou'
  | 'duplicate'
  | 'birth_order_mismatch'
  | 'no_marriage_record'
  | 'non_resident_id';

export type Severity = 'block' | 'warn';

export interface Finding {
  code: CheckCode;
  severity: Severity;
  message: string;
}

export const CHECK_TITLE: Record<CheckCode, string> = {
  mother_not_found: '母亲未在人口库中找到',
  mother_name_mismatch: '母亲姓名与人口库不一致',
  father_not_found: '父亲未在人口库中找到',
  father_name_mismatch: '父亲姓名与人口库不一致',
  child_not_linked: '儿童未匹配到人口库',
  name_mismatch: '儿童姓名不一致',
  birth_date_mismatch: '出生日期不一致',
  child_dead: '儿童已死亡',
  missing_hukou: '应落户未落户',
  duplicate: '疑似重复登记',
  birth_order_mismatch: '孩次不一致',
  no_marriage_record: '父母无婚姻登记记录',
  non_resident_id: '非居民身份证件',
};

/** Days after birth by which a child of a Shanghai 户籍 parent is expected to be registered (报出生户口). */
export const HUKOU_GRACE_DAYS = 60;

export interface PersonFact {
  name: string;
  birthDate: string;
  status: 'alive' | 'dead';
  deathDate: string | null;
  hukouDistrict: string | null;
}

export interface PrecheckFacts {
  today: string;
  task: {
    certificateNo: string;
    childName: string;
    birthDate: string;
    claimedBirthOrder: number | null;
    motherName: string;
    fatherName: string | null;
    hasFatherId: boolean;
    /** 证件类型 names when not a 居民身份证 (absent: resident ID). */
    motherIdTypeName?: string | null;
    fatherIdTypeName?: string | null;
  };
  /** null: not found in the population index (within the caller's scope). */
  mother: PersonFact | null;
  father: PersonFact | null;
  child: PersonFact | null;
  /** The child's birth records (every source), names as each recorded them. */
  records: { source: string; childName: string; certificateNo: string }[];
  /** Has a 公安 报出生户口 record. */
  policeRecord: boolean;
  /** 孩次 computed from both parents' birth records; null when the child has none. */
  computedOrder: number | null;
  /** Certificate numbers of other tasks for the same birth (same mother, date and name). */
  duplicateTasks: string[];
  /** A marriage registration between the parents exists (null: no father known). */
  married: boolean | null;
}

type Check = (f: PrecheckFacts) => Finding | null;
const found = (code: CheckCode, severity: Severity, message: string): Finding => ({ code, severity, message });

const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

export const CHECKS: readonly Check[] = [
  (f) =>
    f.mother
      ? null
      : found(
          'mother_not_found',
          'block',
          f.task.motherIdTypeName
            ? `母亲证件（${f.task.motherIdTypeName}）在人口库中未找到，请人工核对母亲身份信息`
            : '母亲身份证号在人口库中未找到，请核实母亲身份信息',
        ),
  // Documents other than the 居民身份证 carry no 户籍 and often no birth date or sex: a person looks at them.
  (f) => {
    const parts = [
      f.task.motherIdTypeName ? `母亲：${f.task.motherIdTypeName}` : null,
      f.task.fatherIdTypeName ? `父亲：${f.task.fatherIdTypeName}` : null,
    ].filter(Boolean);
    return parts.length ? found('non_resident_id', 'warn', `非居民身份证件，请人工核对（${parts.join('；')}）`) : null;
  },
  (f) =>
    f.mother && f.mother.name !== f.task.motherName
      ? found('mother_name_mismatch', 'block', `母亲姓名与人口库不一致（市妇幼：${f.task.motherName}，人口库：${f.mother.name}）`)
      : null,
  (f) =>
    f.task.hasFatherId && !f.father
      ? found('father_not_found', 'warn', f.task.fatherIdTypeName ? `父亲证件（${f.task.fatherIdTypeName}）在人口库中未找到` : '父亲身份证号在人口库中未找到')
      : null,
  (f) =>
    f.father && f.task.fatherName !== null && f.father.name !== f.task.fatherName
      ? found('father_name_mismatch', 'block', `父亲姓名与人口库不一致（市妇幼：${f.task.fatherName}，人口库：${f.father.name}）`)
      : null,
  (f) => (f.child ? null : found('child_not_linked', 'warn', '未能在人口库中匹配到该儿童（可能尚未建档），核实通过后将以市妇幼信息为准')),
  (f) => {
    const names = new Set([f.task.childName, ...(f.child ? [f.child.name] : []), ...f.records.map((r) => r.childName)]);
    if (names.size <= 1) return null;
    const parts = [
      `市妇幼：${f.task.childName}`,
      ...(f.child ? [`人口库：${f.child.name}`] : []),
      ...f.records.filter((r) => r.childName !== f.task.childName).map((r) => `${SOURCE_NAME[r.source] ?? r.source}：${r.childName}`),
    ];
    return found('name_mismatch', 'block', `儿童姓名在各来源之间不一致（${[...new Set(parts)].join('；')}）`);
  },
  (f) =>
    f.child && f.child.birthDate !== f.task.birthDate
      ? found('birth_date_mismatch', 'block', `出生日期不一致（市妇幼：${f.task.birthDate}，人口库：${f.child.birthDate}）`)
      : null,
  (f) =>
    f.child?.status === 'dead' ? found('child_dead', 'block', `人口库登记该儿童已死亡${f.child.deathDate ? `（死亡日期 ${f.child.deathDate}）` : ''}`) : null,
  (f) => {
    const parentsHukou = Boolean(f.mother?.hukouDistrict || f.father?.hukouDistrict);
    if (!parentsHukou || f.policeRecord || f.child?.hukouDistrict) return null;
    if (daysBetween(f.task.birthDate, f.today) < HUKOU_GRACE_DAYS) return null;
    return found('missing_hukou', 'block', `父母一方为本市户籍，儿童出生已满 ${HUKOU_GRACE_DAYS} 天仍无户籍登记（无公安报出生户口记录）`);
  },
  (f) => {
    const others = [...new Set([...f.duplicateTasks, ...f.records.filter((r) => r.source === 'mch').map((r) => r.certificateNo)])].filter(
      (c) => c !== f.task.certificateNo,
    );
    return others.length > 0 ? found('duplicate', 'block', `同一儿童另有出生医学证明编号 ${others.join('、')}，疑似重复登记`) : null;
  },
  (f) =>
    f.task.claimedBirthOrder !== null && f.computedOrder !== null && f.task.claimedBirthOrder !== f.computedOrder
      ? found('birth_order_mismatch', 'block', `市妇幼申报第 ${f.task.claimedBirthOrder} 孩，按父母双方出生记录计算为第 ${f.computedOrder} 孩`)
      : null,
  (f) => (f.married === false ? found('no_marriage_record', 'warn', '父母之间无婚姻登记记录（非婚生育或登记信息缺失）') : null),
];

const SOURCE_NAME: Record<string, string> = { mch: '市妇幼', police: '公安', one_thing: '出生一件事' };

export function runPrecheck(f: PrecheckFacts): Finding[] {
  return CHECKS.map((c) => c(f)).filter((x): x is Finding => x !== null);
}

export const blocking = (fs: readonly Finding[]) => fs.filter((x) => x.severity === 'block');
