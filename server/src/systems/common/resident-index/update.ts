import { Type } from '@sinclair/typebox';
import { type FieldError, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { changes } from '../master-data/audit-diff.ts';
import { IdParams, nonEmptyPatch } from '../../../platform/http/schema.ts';
import { checkResidence, findChcForStreet } from '../master-data/service.ts';
import { PersonFields, phoneColumns } from './create.ts';
import { type PersonColumns, personById, updatePerson } from './repository.ts';
import { checkInsuranceCard } from './insurance-card.ts';
import { deathProblems, invalid } from './rules.ts';
import { auditView, type MaskedResident, type ResidentCtx, toMasked } from './shapes.ts';
import { ResidentSaved } from './responses.ts';

export const PatchResidentBody = Type.Partial(Type.Object(PersonFields), { additionalProperties: false });
export type PatchResidentInput = typeof PatchResidentBody.static;

/**
 * Changes contact, residence, insurance and vital status. A new street moves the residence district with
 * it (the street code starts with the district's) and re-picks the managing 社区卫生服务中心. Outside the
 * caller's scope the resident does not exist (404).
 */
export async function updateResident(ctx: ResidentCtx, id: number, b: PatchResidentInput): Promise<MaskedResident & { warnings?: string[] }> {
  nonEmptyPatch(b);
  const before = await personById(ctx.tx, id, true);
  if (!before) throw notFound('居民不存在或不在您的数据权限范围内');
  const cols: PersonColumns = { address: b.address, insurance_card_no: b.insuranceCardNo, insured_place: b.insuredPlace, ...phoneColumns(ctx, b.phone) };

  const street = b.residenceStreet !== undefined ? b.residenceStreet : before.residence_street;
  const district = street ? street.slice(0, 6) : before.residence_district;
  let community = b.residenceCommunity !== undefined ? b.residenceCommunity : before.residence_community;
  // A 居委 of the old street does not follow the resident to a new one.
  if (b.residenceCommunity === undefined && community && (!street || !community.startsWith(street))) community = null;
  const errors: FieldError[] = [];
  if (b.residenceStreet !== undefined || b.residenceCommunity !== undefined) {
    errors.push(...(await checkResidence(ctx, { district, street, community })));
    cols.residence_district = district;
    cols.residence_street = street;
    cols.residence_community = community;
    if (street !== before.residence_street) cols.managing_institution_id = street ? await findChcForStreet(ctx, street) : null;
  }

  const status = b.status ?? before.status;
  // Back to alive (a death recorded in error) clears the death date.
  const deathDate = b.deathDate !== undefined ? b.deathDate : status === 'alive' ? null : before.death_date;
  if (b.status !== undefined || b.deathDate !== undefined) {
    errors.push(...deathProblems(status, deathDate, before.birth_date));
    cols.status = status;
    cols.death_date = deathDate;
    // Entered here by hand; back to alive clears the source with the date.
    cols.death_source = status === 'dead' ? (before.status === 'dead' ? before.death_source : 'manual') : null;
  }
  if (errors.length) throw invalid(errors);
  // The card rules (insurance-card.ts) for a new card or a new 参保地 of the card held.
  let card: Awaited<ReturnType<typeof checkInsuranceCard>> | null = null;
  if (b.insuranceCardNo !== undefined || b.insuredPlace !== undefined) {
    const no = b.insuranceCardNo !== undefined ? b.insuranceCardNo : before.insurance_card_no;
    const place = b.insuredPlace !== undefined ? b.insuredPlace : before.insured_place;
    if (no) card = await checkInsuranceCard(ctx, id, place, no);
  }

  const after = await updatePerson(ctx.tx, id, cols);
  if (!after) throw notFound('居民不存在或不在您的数据权限范围内');
  ctx.audit.write({ action: 'resident.update', objectType: 'person', objectId: id, ...changes(auditView(before), auditView(after)) });
  return card?.warnings.length ? { ...toMasked(after), warnings: card.warnings } : toMasked(after);
}

export const updateRoute = defineRoute({
  method: 'PATCH',
  url: '/residents/:id',
  summary: '修改居民信息',
  auth: 'staff',
  permission: 'resident-index.write',
  params: IdParams,
  body: PatchResidentBody,
  response: { 200: ResidentSaved },
  handler: (ctx, { params, body }) => updateResident(ctx, params.id, body),
});
