import { scopeStatements } from '../../../platform/db/scope-sql.ts';
import { conflict, forbidden } from '../../../platform/http/errors.ts';
import { type Scope, scopeCovers, scopeSettings } from '../../../platform/scope/scope.ts';
import * as repo from './repository.ts';
import { type PersonView, type ResidentCtx, toView } from './shapes.ts';

/** One side of a care hand-over: who holds (or takes) a resident's family-doctor care, as scope keys. */
export interface CareSide {
  district: string;
  street: string | null;
  institution: number | null;
  team: number | null;
  doctor: number | null;
}

export interface CareHandover {
  /** Who holds the care now. */
  from: CareSide;
  /** Who takes it over; null ends the care (the team and doctor are cleared, the managing centre stays). */
  to: CareSide | null;
  /** Which side the caller acts for: the receiving doctor accepts a 转签, the treating doctor confirms a death. */
  actingFor: 'giving' | 'receiving';
}

export type HandoverCtx = ResidentCtx & { principal: { scope: Scope; userId: number | null } };

/** The narrowest scope that sees both sides (same team → team, same centre → centre, … else city). */
export function handoverScope(a: CareSide, b: CareSide): Scope {
  if (a.team != null && a.team === b.team) return { level: 'team', teamId: a.team, districtCode: a.district };
  if (a.institution != null && a.institution === b.institution) return { level: 'institution', institutionId: a.institution, districtCode: a.district };
  if (a.street != null && a.street === b.street) return { level: 'street', streetCode: a.street, districtCode: a.district };
  if (a.district === b.district) return { level: 'district', districtCode: a.district };
  return { level: 'city' };
}

/**
 * 照护交接: a resident's family-doctor care passes from one side to the other (转签 accepted by the
 * receiving doctor) or ends (death confirmed by the treating doctor). Each party alone cannot see the
 * other side's rows, so after checking that the caller's scope covers the side it acts for, the
 * hand-over runs with the narrowest scope covering both sides — never wider — and the caller's scope is
 * restored afterwards. `writes` are the calling module's own rows of this hand-over (the contract, which
 * names the resident); it returns the resident and its result, or null when there is nothing to hand over
 * (then the care stays). The resident must be with the giving side (or already with the receiving one)
 * or the whole hand-over is refused (409). Audited as the caller.
 */
export async function handOverCare<T>(
  ctx: HandoverCtx,
  h: CareHandover,
  writes: () => Promise<{ personId: number; value: T } | null>,
): Promise<{ result: T | null; person: PersonView | null }> {
  const acting = h.actingFor === 'giving' ? h.from : h.to;
  if (!acting) throw forbidden('照护交接缺少接收方');
  if (!scopeCovers(ctx.principal.scope, acting)) {
    throw forbidden(h.actingFor === 'giving' ? '只有原签约家庭医生或其机构管理员可以办理该交接' : '只有接收医生或接收机构的管理员可以办理该交接');
  }
  // Ending the care: the resident stays where it lives (street / district), whichever centre manages it.
  const after: CareSide = h.to ?? { ...h.from, institution: null, team: null, doctor: null };
  const set = (s: Scope) => {
    const st = scopeStatements(scopeSettings(s, ctx.principal.userId));
    return ctx.tx.query(st.text, st.params);
  };
  await set(handoverScope(h.from, after));
  try {
    const w = await writes();
    if (w === null) return { result: null, person: null };
    const personId = w.personId;
    const before = await repo.personById(ctx.tx, personId, true);
    if (!before) throw conflict('居民不在交接双方的管理范围内，不能交接');
    const withGiving = before.doctor_id == null || Number(before.doctor_id) === h.from.doctor;
    const alreadyMoved = h.to != null && Number(before.doctor_id) === h.to.doctor;
    if (!withGiving && !alreadyMoved) throw conflict('居民的家庭医生已不是交出方，不能交接，请刷新后重试');
    const cols = h.to ? { team_id: h.to.team, doctor_id: h.to.doctor, managing_institution_id: h.to.institution } : { team_id: null, doctor_id: null };
    const done = await repo.updatePerson(ctx.tx, personId, cols);
    if (!done) throw conflict('交接后居民将不在交接双方的管理范围内，不能交接');
    ctx.audit.write({
      action: 'resident.care-handover',
      objectType: 'person',
      objectId: personId,
      before: { teamId: before.team_id, doctorId: before.doctor_id, managingInstitutionId: before.managing_institution_id },
      after: { teamId: done.team_id, doctorId: done.doctor_id, managingInstitutionId: done.managing_institution_id },
      note: h.to ? '照护交接（接收方办理）' : '照护终止（原签约方办理）',
    });
    return { result: w.value, person: toView(done) };
  } finally {
    await set(ctx.principal.scope);
  }
}
