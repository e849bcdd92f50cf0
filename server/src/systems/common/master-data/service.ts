import type { FieldError } from '../../../platform/http/errors.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { SHANGHAI_DISTRICTS } from './builtin.ts';
import * as repo from './repository.ts';

/**
 * Master data for other modules: call these, never the tables. `ctx` is a request or job context
 * (only its transaction is used), so reads run in the caller's transaction and scope.
 */
export interface MasterDataCtx {
  tx: Queryable;
}

export type { InstitutionDto, PractitionerDto, RegionDto, TeamDto } from './repository.ts';
export { SHANGHAI_DISTRICTS };

export function getInstitution(ctx: MasterDataCtx, id: number): Promise<repo.InstitutionDto | null> {
  return repo.getInstitution(ctx.tx, id);
}

export function getPractitioner(ctx: MasterDataCtx, id: number): Promise<repo.PractitionerDto | null> {
  return repo.getPractitioner(ctx.tx, id);
}

export async function getTeam(ctx: MasterDataCtx, id: number): Promise<repo.TeamDto | null> {
  const { items } = await repo.listTeams(ctx.tx, { id, limit: 1, offset: 0 });
  return items[0] ?? null;
}

/** Names for lists of ids (one query per kind): list pages prefetch these instead of one lookup per row. */
export function namesOf(
  ctx: MasterDataCtx,
  ids: { institutions?: readonly (number | null)[]; teams?: readonly (number | null)[]; practitioners?: readonly (number | null)[] },
): Promise<{ institutions: Map<number, string>; teams: Map<number, string>; practitioners: Map<number, string> }> {
  return repo.namesOf(ctx.tx, ids);
}

export async function getRegion(ctx: MasterDataCtx, code: string): Promise<repo.RegionDto | null> {
  return (await repo.getRegions(ctx.tx, [code])).get(code) ?? null;
}

export function listRegions(ctx: MasterDataCtx, f: { level?: string; parent?: string }): Promise<repo.RegionDto[]> {
  return repo.listRegions(ctx.tx, f);
}

/** The 社区卫生服务中心 responsible for a street (its 总院 if it has 分院), or null. */
export function findChcForStreet(ctx: MasterDataCtx, streetCode: string): Promise<number | null> {
  return repo.chcOfStreet(ctx.tx, streetCode);
}

/**
 * Checks a residence (district → street → 居委). Codes must nest; a street or 居委 must be a known
 * region once that district's streets (that street's 居委) have been imported. Before any import
 * only the nesting is checked, so a fresh installation can still register residents.
 */
export async function checkResidence(
  ctx: MasterDataCtx,
  r: { district: string; street?: string | null; community?: string | null },
  fields = { district: 'residenceDistrict', street: 'residenceStreet', community: 'residenceCommunity' },
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const known = await repo.getRegions(
    ctx.tx,
    [r.district, r.street, r.community].filter((c): c is string => !!c),
  );
  if (known.get(r.district)?.level !== 'district') errors.push({ field: fields.district, message: '区不存在' });
  if (r.street) {
    if (!r.street.startsWith(r.district)) errors.push({ field: fields.street, message: '街镇不属于所填的区' });
    else if (known.get(r.street)?.level !== 'street' && (await repo.countStreetsOf(ctx.tx, r.district)) > 0) {
      errors.push({ field: fields.street, message: '街镇代码不存在' });
    }
  }
  if (r.community) {
    if (!r.street) errors.push({ field: fields.community, message: '填写居委时须同时填写街镇' });
    else if (!r.community.startsWith(r.street)) errors.push({ field: fields.community, message: '居委不属于所填的街镇' });
    else if (known.get(r.community)?.level !== 'community' && (await repo.countCommunitiesOf(ctx.tx, r.street)) > 0) {
      errors.push({ field: fields.community, message: '居委代码不存在' });
    }
  }
  return errors;
}

// For the family-doctor people module (fd-people): practitioners by ID number / institutions by code,
// creating and changing practitioners and teams with the same checks as the master-data routes.
export { createPractitioner, patchPractitioner } from './practitioners.ts';
export { type TeamPatch, updateTeam } from './team-update.ts';

export async function findPractitionerByIdNumber(
  ctx: MasterDataCtx & { kernel: { keys: { blindIndex(v: string, d: string): string } } },
  idNumber: string,
): Promise<number | null> {
  return repo.practitionerIdByBlindIndex(ctx.tx, ctx.kernel.keys.blindIndex(idNumber.trim().toUpperCase(), 'practitioner.id_number'));
}

export function getInstitutionByCode(ctx: MasterDataCtx, code: string): Promise<number | null> {
  return repo.institutionIdByCode(ctx.tx, code);
}

// For family-doctor 总分院合并: a branch's teams move to the main institution in the merge's transaction.
export { countTeams, moveTeams } from './team-move.ts';
