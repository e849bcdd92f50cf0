import { normalizeIdNumber, type IdType } from './identity.ts';
import * as repo from './repository.ts';
import { type PersonView, type ResidentCtx, toView } from './shapes.ts';
import { CITY_SCOPE, type Scope } from '../../../platform/scope/scope.ts';

/**
 * The resident index for other modules (they never read the person table themselves). Everything runs
 * in the caller's transaction, so row-level security limits it to the caller's scope.
 */
export { type CareHandover, type CareSide, handOverCare, type HandoverCtx } from './care-handover.ts';
export { createResident, type CreateResidentInput } from './create.ts';
export { ID_TYPES, ID_TYPE_NAMES, type IdType, checkIdentity, normalizeIdNumber } from './identity.ts';
export {
  DEATH_RECORDED_EVENT,
  DEATH_SOURCE_NAMES,
  DEATH_SOURCES,
  type DeathSource,
  type FeedDeath,
  type FeedDeathResult,
  queueDeathFollowUp,
  recordDeath,
  recordFeedDeath,
} from './death.ts';
export { revealResident } from './reveal.ts';
export {
  type CardCheck,
  CardNo,
  cardFormatProblems,
  cardOnRecordProblem,
  type CardRuleRow,
  checkInsuranceCard,
  deleteCardRuleRow,
  InsuredPlace,
  listCardRuleRows,
  putCardRuleRow,
  SHANGHAI,
} from './insurance-card.ts';
export { lookupForSigning, SIGN_GRANT_MINUTES, type SignerCtx, signLookupRefusal, withSigningAccess } from './sign-lookup.ts';
export { searchResidents } from './search.ts';
export type { MaskedResident, PersonView, ResidentCtx, RevealedResident } from './shapes.ts';
export { updateResident, type PatchResidentInput } from './update.ts';
export { viewResident } from './view.ts';

type ReadCtx = Pick<ResidentCtx, 'tx' | 'kernel'>;

/** By identity number (normalised, blind-indexed); null when absent or outside the caller's scope. Not audited: the caller records its own use. */
export async function findPersonByIdNumber(ctx: ReadCtx, idType: IdType, idNumber: string): Promise<PersonView | null> {
  const bi = ctx.kernel.keys.blindIndex(normalizeIdNumber(idNumber), 'person.id_number');
  const row = await repo.personByIdentity(ctx.tx, idType, bi);
  return row ? toView(row) : null;
}

export async function getPerson(ctx: Pick<ResidentCtx, 'tx'>, id: number): Promise<PersonView | null> {
  const row = await repo.personById(ctx.tx, id);
  return row ? toView(row) : null;
}

/** Several at once (list pages of other modules); missing or out-of-scope ids are simply absent. */
export async function getPeople(ctx: Pick<ResidentCtx, 'tx'>, ids: readonly number[]): Promise<Map<number, PersonView>> {
  const rows = await repo.personsByIds(ctx.tx, ids);
  return new Map(rows.map((r) => [r.id, toView(r)]));
}

/**
 * Sets the family-doctor team and doctor of a resident (family-doctor module, on signing or ending a
 * contract); null clears them. Audited; returns null when the resident is outside the caller's scope.
 */
export async function assignCare(
  ctx: ResidentCtx,
  personId: number,
  care: { teamId: number | null; doctorId: number | null; managingInstitutionId?: number | null },
): Promise<PersonView | null> {
  const before = await repo.personById(ctx.tx, personId, true);
  if (!before) return null;
  const after = await repo.updatePerson(ctx.tx, personId, {
    team_id: care.teamId,
    doctor_id: care.doctorId,
    managing_institution_id: care.managingInstitutionId,
  });
  if (!after) return null;
  ctx.audit.write({
    action: 'resident.assign-care',
    objectType: 'person',
    objectId: personId,
    before: { teamId: before.team_id, doctorId: before.doctor_id, managingInstitutionId: before.managing_institution_id },
    after: { teamId: after.team_id, doctorId: after.doctor_id, managingInstitutionId: after.managing_institution_id },
  });
  return toView(after);
}

/** Residents per residence district, counted inside the caller's scope (map of district code → count). */
export function countResidentsByDistrict(ctx: Pick<ResidentCtx, 'tx'> & { principal?: { scope: Scope } }): Promise<Map<string, number>> {
  return repo.countByDistrict(ctx.tx, ctx.principal?.scope ?? CITY_SCOPE);
}
