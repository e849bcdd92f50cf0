import type { AuditBuffer } from '../../../platform/audit/event.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { recordCivilDivorce, recordCivilMarriage, withdrawCivilDivorce, withdrawCivilMarriage } from '../birth-verification/marriage-write.ts';

/**
 * 回写婚姻库: a verified 民政 registration goes into the family-planning marriage library (fp_marriage),
 * which the birth verification (父母婚姻 pre-check) and the childcare subsidy read.
 *
 * When: a case the automatic audit passed without any failed finding ('matched': both parties found,
 * facts agree, legal age, no conflicting marriage) is written at once — 民政 is the registrar, nothing
 * is left for a person to decide, and a district official expects the library to be current without
 * confirming every clean record. A case a person confirms is written on confirmation. Exceptions and
 * unmatched cases are never written until confirmed. Invalidating a case withdraws what it wrote.
 */
export interface WriteBackCase {
  id: number;
  record_no: string;
  kind: 'marriage' | 'divorce';
  registered_on: string;
  district_code: string;
}

export interface WriteBackResult {
  marriageId: number | null;
  own: boolean;
  change: string;
}

export async function writeBack(
  ctx: { tx: Queryable; audit: AuditBuffer },
  c: WriteBackCase,
  husbandPersonId: number,
  wifePersonId: number,
): Promise<WriteBackResult> {
  let out: WriteBackResult;
  if (c.kind === 'marriage') {
    const w = await recordCivilMarriage(ctx.tx, {
      recordNo: c.record_no,
      husbandPersonId,
      wifePersonId,
      registeredOn: c.registered_on,
      districtCode: c.district_code,
    });
    out = { marriageId: w.marriageId, own: w.own, change: w.change };
  } else {
    // A confirmation naming other persons first gives back the marriage it ended before.
    await withdrawCivilDivorce(ctx.tx, c.record_no);
    const id = await recordCivilDivorce(ctx.tx, { recordNo: c.record_no, husbandPersonId, wifePersonId, on: c.registered_on });
    out = { marriageId: id, own: id !== null, change: id === null ? 'no_marriage' : 'dissolved' };
  }
  await ctx.tx.query(
    'update fp_mv_case set marriage_id = $2, marriage_own = $3, written_back_at = case when $2::bigint is null then null else now() end where id = $1',
    [c.id, out.marriageId, out.own],
  );
  if (out.change !== 'unchanged' && out.change !== 'existing') {
    ctx.audit.write({
      action: `marriage-verification.write-back.${c.kind}`,
      objectType: 'fp_marriage',
      objectId: out.marriageId,
      after: { recordNo: c.record_no, husbandPersonId, wifePersonId, change: out.change },
    });
  }
  return out;
}

/** Invalidation: takes back exactly what this case wrote (its own marriage row, or its dissolution). */
export async function withdraw(ctx: { tx: Queryable; audit: AuditBuffer }, c: WriteBackCase): Promise<number | null> {
  const id = c.kind === 'marriage' ? await withdrawCivilMarriage(ctx.tx, c.record_no) : await withdrawCivilDivorce(ctx.tx, c.record_no);
  await ctx.tx.query('update fp_mv_case set marriage_id = null, marriage_own = false, written_back_at = null where id = $1', [c.id]);
  if (id !== null)
    ctx.audit.write({
      action: `marriage-verification.write-back.withdraw`,
      objectType: 'fp_marriage',
      objectId: id,
      before: { recordNo: c.record_no, kind: c.kind },
    });
  return id;
}
