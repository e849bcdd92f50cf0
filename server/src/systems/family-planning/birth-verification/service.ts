import type { Queryable } from '../../../platform/db/types.ts';
import { type BirthOrderResult, type BirthRecordFact, type Conflict, computeBirthOrder } from './birth-order.ts';
import * as repo from './repository.ts';

/**
 * The birth-verification module for other modules (childcare subsidy): birth orders and the
 * verification state of children, computed from the birth records. Runs in the caller's transaction.
 */
export { type BirthOrderResult, CONFLICT_TITLE, type Conflict, type ConflictKind, SOURCE_TITLE } from './birth-order.ts';
export { insertBirthRecord, insertMarriage, type NewBirthRecord } from './repository.ts';

/** Conflicts that make a child's birth and parent information unverified (a wrong 孩次 claim only affects the order). */
export function verificationProblems(r: BirthOrderResult): Conflict[] {
  return r.conflicts.filter((c) => c.kind !== 'claimed_order_mismatch');
}

/** One child's birth order; null when the caller's scope has no record of the child. */
export async function birthOrderOf(ctx: { tx: Queryable }, childPersonId: number): Promise<BirthOrderResult | null> {
  if (!(await repo.childVisible(ctx.tx, childPersonId))) return null;
  return computeBirthOrder(childPersonId, await repo.familyRecords(ctx.tx, [childPersonId]));
}

/** Birth orders of many children at once (jobs): one query for the batch, children without records absent. */
export async function birthOrdersOf(ctx: { tx: Queryable }, childPersonIds: readonly number[]): Promise<Map<number, BirthOrderResult>> {
  const records = await repo.familyRecords(ctx.tx, childPersonIds);
  const byParent = new Map<number, BirthRecordFact[]>();
  const byChild = new Map<number, BirthRecordFact[]>();
  for (const r of records) {
    byChild.set(r.childPersonId, [...(byChild.get(r.childPersonId) ?? []), r]);
    for (const p of [r.motherPersonId, r.fatherPersonId]) if (p !== null) byParent.set(p, [...(byParent.get(p) ?? []), r]);
  }
  const out = new Map<number, BirthOrderResult>();
  for (const id of childPersonIds) {
    const own = byChild.get(id) ?? [];
    const family = new Set<BirthRecordFact>(own);
    for (const r of own) for (const p of [r.motherPersonId, r.fatherPersonId]) if (p !== null) for (const x of byParent.get(p) ?? []) family.add(x);
    // Every record of a child reached through one of its records.
    const kids = new Set([...family].map((r) => r.childPersonId));
    const all = [...kids].flatMap((k) => byChild.get(k) ?? []);
    const res = computeBirthOrder(id, all);
    if (res) out.set(id, res);
  }
  return out;
}

/** Every child with a birth record in the caller's scope. */
export function listChildIds(ctx: { tx: Queryable }): Promise<number[]> {
  return repo.childIds(ctx.tx);
}
