/** Shapes of the family-doctor contract API (server/src/systems/health-network/family-doctor). */
export type Colour = 'green' | 'yellow' | 'red';

export interface Contract {
  id: number;
  personId: number;
  personName: string | null;
  idNumberMasked: string | null;
  age: number | null;
  institutionId: number;
  institutionName: string | null;
  teamId: number | null;
  teamName: string | null;
  doctorId: number;
  doctorName: string | null;
  districtHospitalId: number | null;
  districtHospitalName: string | null;
  cityHospitalId: number | null;
  cityHospitalName: string | null;
  districtCode: string;
  streetCode: string | null;
  signedOn: string;
  cycleStart: string;
  cycleEnd: string;
  cycleYears: number;
  doctorSince: string;
  channel: 'online' | 'offline';
  status: 'active' | 'terminated';
  colour: Colour | null;
  terminatedOn: string | null;
  terminationInitiator: string | null;
  terminationReason: string | null;
  tags: string[];
  previousId: number | null;
  /** Phones masked; 调阅 shows them (EmergencyContacts.tsx). */
  emergencyContacts: { name: string; relation: string; phoneMasked: string }[];
  healthAssessmentUrl: string | null;
  physicalExamUrl: string | null;
  operatorName: string | null;
}

export interface Chances {
  yearStart: string;
  yearEnd: string;
  doctorChangesUsed: number;
  doctorChangesLeft: number;
  hospitalChangesUsed: number;
  hospitalChangesLeft: number;
  transfersUnlimited: true;
}

export interface ContractEvent {
  id: number;
  kind: string;
  initiator: string;
  reason: string | null;
  channel: string | null;
  tags: string[];
  onDate: string;
  operatorName: string | null;
  at: string;
}

export interface ContractDetail extends Contract {
  events: ContractEvent[];
  chances: Chances;
  rules: string[];
}

export interface ContractPage {
  items: Contract[];
  total: number;
  counts: Record<Colour, number>;
}

export interface RenewalPreview {
  years: number[];
  conditions: { code: string; title: string; met: boolean; detail: string }[];
  reason: string;
  colour: Colour | null;
  allowed: boolean;
  refusal: string | null;
  newCycleStart: string;
}

export const COLOUR: Record<Colour, { text: string; color: string; hint: string }> = {
  green: { text: '绿', color: 'green', hint: '有效' },
  yellow: { text: '黄', color: 'gold', hint: '待续约' },
  red: { text: '红', color: 'red', hint: '已过期' },
};

export const INITIATOR: Record<string, string> = { resident: '居民', doctor: '医生', system: '系统' };
export const CHANNEL: Record<string, string> = { online: '线上', offline: '线下' };
export const EVENT_KIND: Record<string, string> = {
  sign: '签约',
  change_doctor: '更换家庭医生',
  transfer_in_community: '社区内转签',
  change_hospitals: '更换上级医院',
  renew: '续约',
  terminate: '解约',
  transfer: '转签',
};

/** Remaining chances as one line the doctor reads out to the resident. */
export function chancesText(c: Chances): string {
  return `当前变更签约年 ${c.yearStart} 至 ${c.yearEnd}（不含）：跨社区更换家庭医生剩余 ${c.doctorChangesLeft} 次，更换上级医院剩余 ${c.hospitalChangesLeft} 次，社区内转签不限次数。`;
}

/** 转签申请 (a doctor retires, changes post or leaves). */
export interface TransferRequest {
  id: number;
  status: 'pending' | 'accepted' | 'rejected';
  fromInstitutionName: string | null;
  fromDoctorId: number;
  fromDoctorName: string | null;
  toInstitutionName: string | null;
  toTeamName: string | null;
  toDoctorId: number;
  toDoctorName: string | null;
  reasonKind: 'retire' | 'post_change' | 'leave' | 'other';
  reasonKindName: string;
  reason: string;
  contractIds: number[];
  residents: { contractId: number; personName: string | null; idNumberMasked: string | null }[];
  decisionReason: string | null;
  movedIds: number[];
  skippedIds: number[];
  requestedByName: string | null;
  requestedAt: string;
  decidedByName: string | null;
  decidedAt: string | null;
}

export const TRANSFER_STATUS: Record<TransferRequest['status'], { text: string; color: string }> = {
  pending: { text: '待处理', color: 'processing' },
  accepted: { text: '已接收', color: 'success' },
  rejected: { text: '已拒绝', color: 'error' },
};
export const TRANSFER_REASON: Record<TransferRequest['reasonKind'], string> = { retire: '退休', post_change: '岗位调整', leave: '离职', other: '其他' };

/** 死亡核实任务. */
export interface DeathCheck {
  id: number;
  contractId: number;
  personId: number;
  personName: string | null;
  idNumberMasked: string | null;
  deathDate: string;
  source: 'report_card' | 'resident_index';
  reportNo: string | null;
  cause: string | null;
  status: 'pending' | 'confirmed' | 'not_same_person';
  note: string | null;
  doctorName: string | null;
  reportedByName: string | null;
  reportedAt: string;
  decidedByName: string | null;
  decidedAt: string | null;
}

export const DEATH_STATUS: Record<DeathCheck['status'], { text: string; color: string }> = {
  pending: { text: '待核实', color: 'warning' },
  confirmed: { text: '已确认死亡', color: 'default' },
  not_same_person: { text: '非本人', color: 'success' },
};
