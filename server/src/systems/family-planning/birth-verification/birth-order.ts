/**
 * The birth-order (孩次) rule, as one pure function over birth records.
 *
 * Rule (documented in docs/glossary.md, 孩次):
 * - A child's parents are taken from its own records; when they disagree the record of the most
 *   trusted source wins (市妇幼 > 出生"一件事" > 公安) and the child is flagged for review.
 * - Its siblings are every child with a record naming its mother or its father as mother or father: children
 *   of either parent count, so a child from a parent's previous marriage counts (同父异母 / 同母异父).
 * - Children are ordered by birth date; children born on the same day (twins, triplets) get consecutive
 *   orders by 出生医学证明编号. Each child counts once, however many records it has.
 * - Conflicts (the sources disagree on mother, father, birth date or name; more than one certificate
 *   number; a source declared another 孩次) set needsReview: the order is still computed, but a person
 *   decides.
 */

export const SOURCES = ['mch', 'one_thing', 'police'] as const;
export type BirthSource = (typeof SOURCES)[number];
export const SOURCE_TITLE: Record<BirthSource, string> = { mch: '市妇幼出生登记', one_thing: '出生"一件事"', police: '公安报出生户口' };
/** Lower is more trusted. */
const RANK: Record<BirthSource, number> = { mch: 0, one_thing: 1, police: 2 };

export interface BirthRecordFact {
  id: number;
  childPersonId: number;
  motherPersonId: number;
  fatherPersonId: number | null;
  birthDate: string;
  certificateNo: string;
  childName: string;
  source: BirthSource;
  claimedBirthOrder: number | null;
}

export type ConflictKind = 'mother_conflict' | 'father_conflict' | 'birth_date_conflict' | 'name_mismatch' | 'duplicate_certificate' | 'claimed_order_mismatch';

export const CONFLICT_TITLE: Record<ConflictKind, string> = {
  mother_conflict: '各来源登记的母亲不一致',
  father_conflict: '各来源登记的父亲不一致',
  birth_date_conflict: '各来源登记的出生日期不一致',
  name_mismatch: '各来源登记的姓名不一致',
  duplicate_certificate: '同一儿童存在多个出生医学证明编号（重复登记）',
  claimed_order_mismatch: '来源申报的孩次与计算结果不一致',
};

export interface Conflict {
  kind: ConflictKind;
  message: string;
}

export interface SiblingOrder {
  childPersonId: number;
  order: number;
  birthDate: string;
  certificateNo: string;
  /** Which of the target child's parents this child shares. */
  shared: 'self' | 'both' | 'mother' | 'father';
  /** Born on the same day as another child of the family. */
  sameDay: boolean;
}

export interface BirthOrderResult {
  childPersonId: number;
  motherPersonId: number;
  fatherPersonId: number | null;
  birthDate: string;
  certificateNo: string;
  birthOrder: number;
  totalChildren: number;
  siblings: SiblingOrder[];
  sources: { source: BirthSource; recordId: number; certificateNo: string; childName: string; claimedBirthOrder: number | null }[];
  conflicts: Conflict[];
  needsReview: boolean;
  explanation: string;
}

function byTrust(a: BirthRecordFact, b: BirthRecordFact): number {
  return RANK[a.source] - RANK[b.source] || (a.certificateNo < b.certificateNo ? -1 : a.certificateNo > b.certificateNo ? 1 : a.id - b.id);
}

const distinct = <T>(xs: T[]) => [...new Set(xs)];

/** The child's own view: the most trusted record, and what its records disagree on. */
export function resolveChild(records: readonly BirthRecordFact[]): { main: BirthRecordFact; conflicts: Conflict[] } {
  const sorted = [...records].sort(byTrust);
  const main = sorted[0]!; // callers pass a child's records, never none
  const conflicts: Conflict[] = [];
  const add = (kind: ConflictKind, detail = '') => conflicts.push({ kind, message: CONFLICT_TITLE[kind] + detail });
  if (distinct(sorted.map((r) => r.motherPersonId)).length > 1) add('mother_conflict');
  if (distinct(sorted.flatMap((r) => (r.fatherPersonId === null ? [] : [r.fatherPersonId]))).length > 1) add('father_conflict');
  const dates = distinct(sorted.map((r) => r.birthDate));
  if (dates.length > 1) add('birth_date_conflict', `（${dates.join('、')}）`);
  const names = distinct(sorted.map((r) => r.childName));
  if (names.length > 1) add('name_mismatch', `（${sorted.map((r) => `${SOURCE_TITLE[r.source]}：${r.childName}`).join('；')}）`);
  const certs = distinct(sorted.map((r) => r.certificateNo));
  if (certs.length > 1) add('duplicate_certificate', `（${certs.join('、')}）`);
  return { main, conflicts };
}

/**
 * The birth order of `childPersonId` from `records` (its own and those of every child sharing a parent
 * with it; more is harmless). Null when the child has no record.
 */
export function computeBirthOrder(childPersonId: number, records: readonly BirthRecordFact[]): BirthOrderResult | null {
  const byChild = new Map<number, BirthRecordFact[]>();
  for (const r of records) byChild.set(r.childPersonId, [...(byChild.get(r.childPersonId) ?? []), r]);
  const own = byChild.get(childPersonId);
  if (!own?.length) return null;
  const { main, conflicts } = resolveChild(own);
  const mother = main.motherPersonId;
  const father = [...own].sort(byTrust).find((r) => r.fatherPersonId !== null)?.fatherPersonId ?? null;

  const family: { childPersonId: number; main: BirthRecordFact; shared: SiblingOrder['shared'] }[] = [];
  for (const [cid, recs] of byChild) {
    const m = cid === childPersonId ? main : resolveChild(recs).main;
    const viaMother = recs.some((r) => r.motherPersonId === mother);
    const viaFather = father !== null && recs.some((r) => r.fatherPersonId === father);
    if (cid !== childPersonId && !viaMother && !viaFather) continue;
    family.push({ childPersonId: cid, main: m, shared: cid === childPersonId ? 'self' : viaMother && viaFather ? 'both' : viaMother ? 'mother' : 'father' });
  }
  family.sort(
    (a, b) =>
      (a.main.birthDate < b.main.birthDate ? -1 : a.main.birthDate > b.main.birthDate ? 1 : 0) ||
      (a.main.certificateNo < b.main.certificateNo ? -1 : a.main.certificateNo > b.main.certificateNo ? 1 : 0) ||
      a.childPersonId - b.childPersonId,
  );
  const dayCount = new Map<string, number>();
  for (const f of family) dayCount.set(f.main.birthDate, (dayCount.get(f.main.birthDate) ?? 0) + 1);
  const siblings: SiblingOrder[] = family.map((f, i) => ({
    childPersonId: f.childPersonId,
    order: i + 1,
    birthDate: f.main.birthDate,
    certificateNo: f.main.certificateNo,
    shared: f.shared,
    sameDay: (dayCount.get(f.main.birthDate) ?? 0) > 1,
  }));
  const self = siblings.find((s) => s.shared === 'self') as SiblingOrder;

  const claims = own.filter((r) => r.claimedBirthOrder !== null && r.claimedBirthOrder !== self.order);
  if (claims.length) {
    conflicts.push({
      kind: 'claimed_order_mismatch',
      message: `${CONFLICT_TITLE.claimed_order_mismatch}（${claims.map((r) => `${SOURCE_TITLE[r.source]}申报第 ${r.claimedBirthOrder} 孩`).join('；')}，计算为第 ${self.order} 孩）`,
    });
  }

  const others = siblings.filter((s) => s.shared !== 'self');
  const parts = [`按父母双方的出生记录，共有 ${siblings.length} 名子女，本儿童按出生日期排第 ${self.order} 孩`];
  const half = others.filter((s) => s.shared === 'mother' || s.shared === 'father').length;
  if (half) parts.push(`其中 ${half} 名为同父异母或同母异父子女，计入孩次`);
  if (self.sameDay) parts.push('同日出生的多胞胎按出生医学证明编号依次排序');
  parts.push(`依据来源：${distinct(own.map((r) => SOURCE_TITLE[r.source])).join('、')}`);
  if (conflicts.length) parts.push('来源之间存在不一致，需人工核定');

  return {
    childPersonId,
    motherPersonId: mother,
    fatherPersonId: father,
    birthDate: main.birthDate,
    certificateNo: main.certificateNo,
    birthOrder: self.order,
    totalChildren: siblings.length,
    siblings,
    sources: [...own]
      .sort(byTrust)
      .map((r) => ({ source: r.source, recordId: r.id, certificateNo: r.certificateNo, childName: r.childName, claimedBirthOrder: r.claimedBirthOrder })),
    conflicts,
    needsReview: conflicts.length > 0,
    explanation: `${parts.join('；')}。`,
  };
}
