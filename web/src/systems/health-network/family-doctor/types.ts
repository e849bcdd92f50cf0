/** The family-doctor contract API's shapes come from the server's declarations; UI labels live here. */
import type {
  Chances,
  Colour,
  Contract,
  ContractDetail,
  ContractEvent,
  ContractPage,
  DeathCheck,
  RenewalPreview,
  TransferRequest,
} from '@server/systems/health-network/family-doctor/responses.ts';

export type { Chances, Colour, Contract, ContractDetail, ContractEvent, ContractPage, DeathCheck, RenewalPreview, TransferRequest };

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

export const TRANSFER_STATUS: Record<TransferRequest['status'], { text: string; color: string }> = {
  pending: { text: '待处理', color: 'processing' },
  accepted: { text: '已接收', color: 'success' },
  rejected: { text: '已拒绝', color: 'error' },
};
export const TRANSFER_REASON: Record<TransferRequest['reasonKind'], string> = { retire: '退休', post_change: '岗位调整', leave: '离职', other: '其他' };

export const DEATH_STATUS: Record<DeathCheck['status'], { text: string; color: string }> = {
  pending: { text: '待核实', color: 'warning' },
  confirmed: { text: '已确认死亡', color: 'default' },
  not_same_person: { text: '非本人', color: 'success' },
};
