/**
 * The family-doctor contracting policy as small pure functions (dates are 'YYYY-MM-DD' strings, `today`
 * is always passed in). Every refusal carries its zh-CN reason and the remaining chances, which the
 * screens show before the doctor or resident confirms.
 */
import { ageOn, todayInShanghai } from '../../../platform/util/dates.ts';
import type { Chances as ChancesResponse } from './responses.ts';

export interface Policy {
  /** 黄: the cycle ends within this many days … */
  yellowBeforeDays: number;
  /** … or ended at most this many days ago; beyond that 红. */
  yellowAfterDays: number;
  /** 变更签约年 length in days. */
  changeYearDays: number;
  /** Changes of family doctor to another community per change-sign year. */
  maxDoctorChanges: number;
  /** Changes of the upper-level hospitals per change-sign year. */
  maxHospitalChanges: number;
}

export const DEFAULT_POLICY: Policy = { yellowBeforeDays: 60, yellowAfterDays: 90, changeYearDays: 365, maxDoctorChanges: 1, maxHospitalChanges: 2 };

export type Colour = 'green' | 'yellow' | 'red';
export const COLOURS: readonly Colour[] = ['green', 'yellow', 'red'];
export const COLOUR_NAMES: Record<Colour, string> = { green: '绿', yellow: '黄', red: '红' };

export const INITIATORS = ['resident', 'doctor', 'system'] as const;
export type Initiator = (typeof INITIATORS)[number];
export const INITIATOR_NAMES: Record<Initiator, string> = { resident: '居民', doctor: '医生', system: '系统' };

export const CHANNELS = ['online', 'offline'] as const;
export type Channel = (typeof CHANNELS)[number];

// ———————————————————————————————————————— dates ————————————————————————————————————————

const DAY = 86_400_000;
const ms = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

export function addDays(date: string, n: number): string {
  return iso(ms(date) + n * DAY);
}

/** Days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((ms(b) - ms(a)) / DAY);
}

/** The same calendar day n years later (29 Feb → 28 Feb in common years). */
export function addYears(date: string, n: number): string {
  const y = Number(date.slice(0, 4)) + n;
  const md = date.slice(5);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !leap ? '02-28' : md}`;
}

/** Last day of a cycle of `years` starting on `start`. */
export function cycleEnd(start: string, years: number): string {
  return addDays(addYears(start, years), -1);
}

// Age and today come from the one dates module (the policy counts calendar days in Shanghai).
export { ageOn };
export const shanghaiToday = (now: Date | number = Date.now()): string => todayInShanghai(now);

// ———————————————————————————————————————— status colour ————————————————————————————————————————

/**
 * 绿 valid; 黄 due for renewal: ends within `yellowBeforeDays` days, or ended at most `yellowAfterDays` days
 * ago; 红 lapsed beyond that (a "free person" who may sign anew).
 */
export function statusColour(cycleEndDate: string, today: string, p: Policy = DEFAULT_POLICY): Colour {
  const left = daysBetween(today, cycleEndDate);
  if (left > p.yellowBeforeDays) return 'green';
  if (left >= -p.yellowAfterDays) return 'yellow';
  return 'red';
}

/** The boundaries as dates, for SQL: green ⇔ end > greenAfter; red ⇔ end < redBefore. */
export function colourBounds(today: string, p: Policy = DEFAULT_POLICY): { greenAfter: string; redBefore: string } {
  return { greenAfter: addDays(today, p.yellowBeforeDays), redBefore: addDays(today, -p.yellowAfterDays) };
}

// ———————————————————————————————————————— change-sign year ————————————————————————————————————————

/** What the rules need of a contract's history (carried forward from contract to contract). */
export interface ChangeHistory {
  /** Date this contracting relationship began (the sign date of the first contract of the chain). */
  signedOn: string;
  /** Dates of changes of family doctor to another community, oldest first. */
  doctorChanges: readonly string[];
  /** Dates of changes of the upper-level hospitals, oldest first. */
  hospitalChanges: readonly string[];
}

/** The remaining chances of the current change-sign year (declared in responses.ts). */
export type Chances = ChancesResponse;

/**
 * 变更签约年 = `changeYearDays` days from the last change of family doctor (or, before any change, from the
 * signing), repeating: the year containing `today`.
 */
export function changeYear(h: ChangeHistory, today: string, p: Policy = DEFAULT_POLICY): { start: string; end: string } {
  const anchor = h.doctorChanges.length ? h.doctorChanges[h.doctorChanges.length - 1]! : h.signedOn;
  const elapsed = Math.max(0, daysBetween(anchor, today));
  const start = addDays(anchor, Math.floor(elapsed / p.changeYearDays) * p.changeYearDays);
  return { start, end: addDays(start, p.changeYearDays) };
}

export function remainingChances(h: ChangeHistory, today: string, p: Policy = DEFAULT_POLICY): Chances {
  const { start, end } = changeYear(h, today, p);
  const inYear = (d: string) => d >= start && d < end;
  const doctorChangesUsed = h.doctorChanges.filter(inYear).length;
  const hospitalChangesUsed = h.hospitalChanges.filter(inYear).length;
  return {
    yearStart: start,
    yearEnd: end,
    doctorChangesUsed,
    doctorChangesLeft: Math.max(0, p.maxDoctorChanges - doctorChangesUsed),
    hospitalChangesUsed,
    hospitalChangesLeft: Math.max(0, p.maxHospitalChanges - hospitalChangesUsed),
    transfersUnlimited: true,
  };
}

/** The rule text the screens show before a change or termination is confirmed. */
export function ruleTexts(p: Policy = DEFAULT_POLICY): string[] {
  return [
    `变更签约年为自最近一次更换家庭医生之日起 ${p.changeYearDays} 天（未更换过的自签约之日起计）。`,
    `变更签约年内跨社区更换家庭医生不超过 ${p.maxDoctorChanges} 次；同一社区内转签不限次数，但不得变更区级和市级医院。`,
    `变更签约年内更换上级医院（区级、市级）不超过 ${p.maxHospitalChanges} 次。`,
    `签约到期前 ${p.yellowBeforeDays} 天至到期后 ${p.yellowAfterDays} 天为黄色（待续约），超过为红色，红色居民可重新签约。`,
  ];
}

export interface Decision {
  allowed: boolean;
  /** zh-CN refusal reason (null when allowed). */
  reason: string | null;
  chances?: Chances;
}

const ok = (chances?: Chances): Decision => ({ allowed: true, reason: null, ...(chances ? { chances } : {}) });
const no = (reason: string, chances?: Chances): Decision => ({ allowed: false, reason, ...(chances ? { chances } : {}) });

/** A new signing: nobody with a green or yellow contract; a red one is a free person. */
export function canSign(existingColour: Colour | null): Decision {
  if (existingColour === 'green') return no('该居民已有有效签约（绿色），不能重复签约');
  if (existingColour === 'yellow') return no('该居民的签约处于待续约期（黄色），请办理续约，不能重新签约');
  return ok();
}

/** 跨社区更换家庭医生: at most `maxDoctorChanges` per change-sign year; inside one community it is a transfer. */
export function canChangeDoctor(h: ChangeHistory, today: string, sameCommunity: boolean, p: Policy = DEFAULT_POLICY): Decision {
  const c = remainingChances(h, today, p);
  if (sameCommunity) return no('新家庭医生与原签约在同一社区卫生服务中心，请办理社区内转签', c);
  if (c.doctorChangesLeft <= 0) {
    return no(
      `变更签约年（${c.yearStart} 至 ${addDays(c.yearEnd, -1)}）内已更换家庭医生 ${c.doctorChangesUsed} 次，已达上限 ${p.maxDoctorChanges} 次，${c.yearEnd} 起可再次更换`,
      c,
    );
  }
  return ok(c);
}

/** 社区内转签: unlimited, the same community, and the district and city hospitals stay. */
export function canTransfer(
  h: ChangeHistory,
  today: string,
  t: { sameCommunity: boolean; sameDoctor: boolean; hospitalsChanged: boolean },
  p: Policy = DEFAULT_POLICY,
): Decision {
  const c = remainingChances(h, today, p);
  if (!t.sameCommunity) return no('社区内转签的新家庭医生须属于原签约社区卫生服务中心；跨社区请办理更换家庭医生', c);
  if (t.sameDoctor) return no('新家庭医生与当前家庭医生相同', c);
  if (t.hospitalsChanged) return no('社区内转签不能变更签约组合中的区级医院和市级医院', c);
  return ok(c);
}

/** Upper-level hospitals: at most `maxHospitalChanges` per change-sign year. */
export function canChangeHospitals(h: ChangeHistory, today: string, changed: boolean, p: Policy = DEFAULT_POLICY): Decision {
  const c = remainingChances(h, today, p);
  if (!changed) return no('区级医院和市级医院均未变化', c);
  if (c.hospitalChangesLeft <= 0) {
    return no(`变更签约年（${c.yearStart} 至 ${addDays(c.yearEnd, -1)}）内已更换上级医院 ${c.hospitalChangesUsed} 次，已达上限 ${p.maxHospitalChanges} 次`, c);
  }
  return ok(c);
}

/** Renewal only in the renewal window (yellow); a red resident signs anew. */
export function canRenew(colour: Colour, p: Policy = DEFAULT_POLICY): Decision {
  if (colour === 'green') return no(`签约尚未进入续约期（到期前 ${p.yellowBeforeDays} 天内可续约）`);
  if (colour === 'red') return no(`签约已到期超过 ${p.yellowAfterDays} 天（红色），请重新签约`);
  return ok();
}

// ———————————————————————————————————————— flexible renewal ————————————————————————————————————————

export interface RenewalFacts {
  today: string;
  /** With the current family doctor without interruption since. */
  doctorSince: string;
  /** Visits at the contracted community in the year before renewal. */
  visitsLastYear: number;
  hasHealthAssessment: boolean;
  birthDate: string;
  hasPhysicalExam: boolean;
}

export interface RenewalCondition {
  code: 'same_doctor_2y' | 'visits_2' | 'health_assessment' | 'elderly_exam';
  title: string;
  met: boolean;
  detail: string;
}

export interface RenewalOptions {
  /** The cycle lengths the resident may choose (years). */
  years: number[];
  conditions: RenewalCondition[];
  /** Why these options (zh-CN). */
  reason: string;
}

/**
 * 弹性续约: ① same family doctor ≥ 2 years, ② ≥ 2 visits at the contracted community in the last year,
 * ③ health-assessment report, ④ aged ≥ 65 with a physical-exam report. ①②③ → 1 or 2 years; ①②④ → 1, 2
 * or 3 years; otherwise 1 year.
 */
export function renewalOptions(f: RenewalFacts): RenewalOptions {
  const sameDoctor2y = addYears(f.doctorSince, 2) <= f.today;
  const age = ageOn(f.birthDate, f.today);
  const conditions: RenewalCondition[] = [
    { code: 'same_doctor_2y', title: '连续签约同一家庭医生满 2 年', met: sameDoctor2y, detail: `自 ${f.doctorSince} 起签约当前家庭医生` },
    { code: 'visits_2', title: '续约前一年在签约社区就诊不少于 2 次', met: f.visitsLastYear >= 2, detail: `近一年在签约社区就诊 ${f.visitsLastYear} 次` },
    { code: 'health_assessment', title: '已上传健康评估报告', met: f.hasHealthAssessment, detail: f.hasHealthAssessment ? '已上传' : '未上传' },
    {
      code: 'elderly_exam',
      title: '65 岁及以上且已上传体检报告',
      met: age >= 65 && f.hasPhysicalExam,
      detail: `${age} 岁，体检报告${f.hasPhysicalExam ? '已上传' : '未上传'}`,
    },
  ];
  const [c1, c2, c3, c4] = conditions.map((c) => c.met);
  if (c1 && c2 && c4)
    return { years: [1, 2, 3], conditions, reason: '满足①②④（连续签约满 2 年、近一年就诊 ≥ 2 次、65 岁及以上且有体检报告），可选择续约 1、2 或 3 年' };
  if (c1 && c2 && c3) return { years: [1, 2], conditions, reason: '满足①②③（连续签约满 2 年、近一年就诊 ≥ 2 次、有健康评估报告），可选择续约 1 或 2 年' };
  const missing = conditions.filter((c) => !c.met).map((c) => c.title);
  return { years: [1], conditions, reason: `不满足弹性续约条件（未满足：${missing.join('；')}），续约 1 年` };
}

/** Whether the chosen cycle length is one of the options. */
export function canRenewFor(years: number, o: RenewalOptions): Decision {
  if (o.years.includes(years)) return ok();
  return no(`不能续约 ${years} 年：${o.reason}`);
}

// ———————————————————————————————————————— 转签 between doctors ————————————————————————————————————————

/** Why a doctor hands residents over: 退休, 岗位调整, 离职, 其他. */
export const TRANSFER_REASON_KINDS = ['retire', 'post_change', 'leave', 'other'] as const;
export type TransferReasonKind = (typeof TRANSFER_REASON_KINDS)[number];
export const TRANSFER_REASON_NAMES: Record<TransferReasonKind, string> = { retire: '退休', post_change: '岗位调整', leave: '离职', other: '其他' };

/**
 * 转签 (a doctor retires, changes post or leaves): the selected contracts of doctor A move to doctor B once
 * B's side accepts. The rules:
 * - B is another active family doctor, a member of the named team;
 * - inside the same 社区卫生服务中心 always allowed (like 社区内转签, not limited);
 * - to another centre only inside the same district (the residents keep a centre near home); the move is
 *   made by the institution, not chosen by the resident, so it does not use the resident's change of
 *   family doctor in the change-sign year;
 * - the contract, its cycle and its district and city hospitals continue unchanged.
 */
export function canTransferBetweenDoctors(t: { sameDoctor: boolean; sameCommunity: boolean; sameDistrict: boolean }): Decision {
  if (t.sameDoctor) return no('接收医生与转出医生相同');
  if (!t.sameCommunity && !t.sameDistrict) return no('转签只能转给本区的家庭医生；跨区请由居民办理更换家庭医生');
  return ok();
}

/** A request is decided once. */
export function canDecideTransfer(status: 'pending' | 'accepted' | 'rejected'): Decision {
  if (status === 'accepted') return no('该转签申请已接收，不能重复处理');
  if (status === 'rejected') return no('该转签申请已拒绝，不能重复处理');
  return ok();
}
