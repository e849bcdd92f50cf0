/** Shapes of the birth-verification API (server: systems/family-planning/birth-verification). */
export interface Finding {
  code: string;
  severity: 'block' | 'warn';
  message: string;
}

export interface Task {
  id: number;
  taskNo: string;
  certificateNo: string;
  status: 'pending' | 'assisting' | 'approved' | 'rejected';
  statusTitle: string;
  version: number;
  verifyRound: number;
  sourceDate: string;
  districtCode: string;
  streetCode: string;
  streetName: string | null;
  childName: string;
  childSex: 'M' | 'F' | 'U' | null;
  birthDate: string;
  birthWeight: number | null;
  hospital: string | null;
  claimedBirthOrder: number | null;
  address: string | null;
  childPersonId: number | null;
  motherName: string;
  motherIdMasked: string;
  motherIdType: string;
  /** 证件类型 (居民身份证, 港澳台居民居住证, 通行证, 外国人永久居留身份证, 护照). */
  motherIdTypeTitle: string;
  fatherName: string | null;
  fatherIdMasked: string | null;
  fatherIdTypeTitle: string | null;
  findings: Finding[];
  blockingCount: number;
  precheckAt: string | null;
  decision: 'confirmed' | 'corrected' | 'invalid' | null;
  decisionTitle: string | null;
  decisionNote: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  result: { newborn?: NewbornOutcome | null; birthRecordId?: number | null } | null;
}

/** What an approval did about a newborn the population index did not know (server newborn.ts). */
export interface NewbornOutcome {
  status: 'created' | 'linked' | 'pending_hukou';
  statusTitle: string;
  personId: number | null;
  message: string;
}

/** One row of the 公安 报出生户口 side-by-side view (server household-prefill.ts). */
export interface HouseholdField {
  key: 'childName' | 'childSex' | 'birthDate' | 'motherName' | 'fatherName';
  title: string;
  taskValue: string | null;
  policeValue: string | null;
  fillValue: string | null;
  differs: boolean;
  fillable: boolean;
}

export interface HouseholdPrefill {
  taskId: number;
  found: boolean;
  message: string;
  record: {
    regNo: string;
    month: string;
    childIdMasked: string | null;
    registeredOn: string | null;
    policeCode: string;
    policeName: string;
    hukouStreetCode: string | null;
    hukouStreetName: string | null;
    hukouDistrictCode: string | null;
    motherIdMasked: string | null;
    fatherIdMasked: string | null;
    matchedBy: 'certificate' | 'name_birth_mother';
    matchedByTitle: string;
  } | null;
  fields: HouseholdField[];
}

export interface HistoryEvent {
  id: number;
  action: string;
  actionTitle: string;
  from_status: string | null;
  to_status: string | null;
  version: number;
  verify_round: number;
  actor: string;
  note: string | null;
  detail: Record<string, unknown> | null;
  at: string;
}

export interface Assist {
  id: number;
  taskId: number;
  status: 'requested' | 'replied' | 'accepted' | 'closed';
  statusTitle: string;
  round: number;
  fromStreet: string;
  fromStreetName: string | null;
  toStreet: string;
  toStreetName: string | null;
  question: string;
  snapshot: { taskNo: string; childName: string; childSex: string | null; birthDate: string; motherName: string; motherIdMasked: string; fatherNameMasked: string | null; address: string | null };
  replyResult: string | null;
  replyResultTitle: string | null;
  replyNote: string | null;
  repliedBy: string | null;
  repliedAt: string | null;
  handledNote: string | null;
  handledBy: string | null;
  handledAt: string | null;
  requestedBy: string;
  createdAt: string;
}

export interface PrefillField {
  key: string;
  title: string;
  value: string | number | null;
  origin: 'population' | 'mch';
  sourceValue: string | number | null;
  differs: boolean;
}

export const STATUS_COLOR: Record<Task['status'], string> = { pending: 'blue', assisting: 'orange', approved: 'green', rejected: 'red' };

export const CHECK_TITLE: Record<string, string> = {
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

export const REPLY_OPTIONS = [
  { value: 'confirmed', label: '核实属实（在本街道居住）' },
  { value: 'not_found', label: '查无此人' },
  { value: 'moved', label: '已迁出' },
  { value: 'other', label: '其他' },
];
