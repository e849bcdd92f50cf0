import { normalizeIdNumber, type ResidentCtx } from '../../common/resident-index/service.ts';
import { maskResidentId } from '../../../platform/util/resident-id.ts';
import { matchParty } from './match.ts';
import type { MarriageRecord } from './normalize.ts';
import * as repo from './repository.ts';
import { auditCase, type CaseStatus, type PartyMatch } from './rules.ts';
import { writeBack } from './write-back.ts';

export type CaseCtx = ResidentCtx & { actor: string };

const detail = (m: PartyMatch) => ({ method: m.method, personId: m.person?.id ?? null, note: m.note ?? null });

/** The audit's outside facts for a matched pair. */
export async function auditFacts(ctx: CaseCtx, rec: MarriageRecord, h: PartyMatch, w: PartyMatch, exceptCase: number | null) {
  if (!h.person || !w.person) return { conflictingMarriages: 0, marriageOfPairKnown: false };
  return {
    conflictingMarriages: rec.kind === 'marriage' ? await repo.conflictingMarriages(ctx.tx, h.person.id, w.person.id, rec.registeredOn, exceptCase) : 0,
    marriageOfPairKnown: rec.kind === 'divorce' ? await repo.marriageOfPairKnown(ctx.tx, h.person.id, w.person.id, rec.registeredOn) : false,
  };
}

/**
 * Creates the individual case of one 民政 registration and runs the automatic audit on it at once:
 * match both parties, apply the rules, log both steps. A record number already known is a duplicate
 * (the platform re-sends) and changes nothing.
 */
export async function createCase(
  ctx: CaseCtx,
  rec: MarriageRecord,
  batchId: number | null,
  today: string,
): Promise<{ id: number; status: CaseStatus } | { duplicate: number }> {
  const known = await repo.caseIdByRecordNo(ctx.tx, rec.recordNo);
  if (known !== null) return { duplicate: known };
  const h = await matchParty(ctx, rec.husband, rec.district);
  const w = await matchParty(ctx, rec.wife, rec.district);
  const { status, findings } = auditCase(rec, h, w, await auditFacts(ctx, rec, h, w, null), today);
  const sealed = (id: string | null) =>
    id ? { idBi: ctx.kernel.keys.blindIndex(normalizeIdNumber(id), 'person.id_number'), idMasked: maskResidentId(id) } : { idBi: null, idMasked: null };
  const matchDetail = { husband: detail(h), wife: detail(w) };
  const id = await repo.insertCase(ctx.tx, {
    recordNo: rec.recordNo,
    batchId,
    kind: rec.kind,
    registeredOn: rec.registeredOn,
    husband: {
      name: rec.husband.name,
      birth: rec.husband.birthDate,
      hukou: rec.husband.hukou,
      personId: h.person?.id ?? null,
      ...sealed(rec.husband.idNumber),
    },
    wife: { name: rec.wife.name, birth: rec.wife.birthDate, hukou: rec.wife.hukou, personId: w.person?.id ?? null, ...sealed(rec.wife.idNumber) },
    matchDetail,
    status,
    findings,
    district: rec.district,
    // Both indexes are made under the active blind-index key now and keep it (no sealed source to rebuild from).
    idBiKey: rec.husband.idNumber || rec.wife.idNumber ? ctx.kernel.keys.blindIndexKeyId : null,
  });
  await repo.insertLog(ctx.tx, {
    caseId: id,
    recordNo: rec.recordNo,
    kind: 'match',
    status: h.person && w.person ? 'found' : 'not_found',
    detail: matchDetail,
    actor: ctx.actor,
    district: rec.district,
  });
  await repo.insertLog(ctx.tx, {
    caseId: id,
    recordNo: rec.recordNo,
    kind: 'audit',
    status,
    detail: { failed: findings.filter((f) => !f.ok).map((f) => f.message) },
    actor: ctx.actor,
    district: rec.district,
  });
  // A clean automatic match goes into the marriage library at once (see write-back.ts for why).
  const written =
    status === 'matched' && h.person && w.person
      ? await writeBack(
          ctx,
          { id, record_no: rec.recordNo, kind: rec.kind, registered_on: rec.registeredOn, district_code: rec.district },
          h.person.id,
          w.person.id,
        )
      : null;
  ctx.audit.write({
    action: 'marriage-verification.case.create',
    objectType: 'fp_mv_case',
    objectId: id,
    after: { recordNo: rec.recordNo, status, marriageId: written?.marriageId ?? null },
  });
  return { id, status };
}
