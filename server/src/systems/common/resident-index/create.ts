import { Type } from '@sinclair/typebox';
import { conflict } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { maskPhone, maskResidentId } from '../../../platform/util/resident-id.ts';
import { enumOf, nullable, Text } from '../../../platform/http/schema.ts';
import { CommunityCode, DistrictCode, normalizePhone, Phone, StreetCode } from '../master-data/schema.ts';
import { checkResidence, findChcForStreet } from '../master-data/service.ts';
import { checkIdentity, ID_TYPES, type IdType } from './identity.ts';
import { checkInsuranceCard } from './insurance-card.ts';
import { insertPerson, personIdByIdentity } from './repository.ts';
import { deathProblems, invalid, isUniqueViolation } from './rules.ts';
import { auditView, type MaskedResident, type ResidentCtx, toMasked } from './shapes.ts';
import { ResidentSaved } from './responses.ts';

const PastDate = Type.String({ format: 'past-date', maxLength: 10 });
const RegionCode6 = Type.String({ pattern: '^\\d{6}$', maxLength: 6 });

export const PersonFields = {
  address: nullable(Text(200)),
  phone: nullable(Phone),
  residenceStreet: nullable(StreetCode),
  residenceCommunity: nullable(CommunityCode),
  insuranceCardNo: nullable(Text(32, { pattern: '^[0-9A-Za-z]*$' })),
  insuredPlace: nullable(RegionCode6),
  status: enumOf(['alive', 'dead'] as const),
  deathDate: nullable(PastDate),
};

export const CreateResidentBody = Type.Object(
  {
    idType: Type.Optional(enumOf(ID_TYPES, { default: 'resident_id' })),
    idNumber: Type.String({ minLength: 1, maxLength: 32 }),
    name: Type.String({ minLength: 1, maxLength: 50, pattern: '^\\S(.*\\S)?$' }),
    sex: Type.Optional(enumOf(['M', 'F', 'U'] as const)),
    birthDate: Type.Optional(PastDate),
    hukouDistrict: Type.Optional(nullable(DistrictCode)),
    hukouPlace: Type.Optional(nullable(RegionCode6)),
    residenceDistrict: DistrictCode,
    residenceStreet: Type.Optional(PersonFields.residenceStreet),
    residenceCommunity: Type.Optional(PersonFields.residenceCommunity),
    address: Type.Optional(PersonFields.address),
    phone: Type.Optional(PersonFields.phone),
    insuranceCardNo: Type.Optional(PersonFields.insuranceCardNo),
    insuredPlace: Type.Optional(PersonFields.insuredPlace),
    status: Type.Optional(PersonFields.status),
    deathDate: Type.Optional(PersonFields.deathDate),
  },
  { additionalProperties: false },
);
export type CreateResidentInput = typeof CreateResidentBody.static;

/** Sealed phone columns (SM4 token, blind index, mask); null clears them. */
export function phoneColumns(ctx: ResidentCtx, phone: string | null | undefined) {
  if (phone === undefined) return {};
  if (phone === null) return { phone_enc: null, phone_bi: null, phone_mask: null };
  const p = normalizePhone(phone);
  return { phone_enc: ctx.kernel.keys.encryptField(p), phone_bi: ctx.kernel.keys.blindIndex(p, 'person.phone'), phone_mask: maskPhone(p) };
}

const DUPLICATE = '该证件号码已登记，请勿重复建档';

/** Registers a resident: validated identity, sealed identity number and phone, managing 社区卫生服务中心 from the street. */
export async function createResident(ctx: ResidentCtx, b: CreateResidentInput): Promise<MaskedResident & { warnings?: string[] }> {
  const idType: IdType = b.idType ?? 'resident_id';
  const id = checkIdentity(idType, b.idNumber, { birthDate: b.birthDate, sex: b.sex });
  const status = b.status ?? 'alive';
  const errors = [
    ...id.errors,
    ...(await checkResidence(ctx, { district: b.residenceDistrict, street: b.residenceStreet, community: b.residenceCommunity })),
    ...deathProblems(status, b.deathDate ?? null, id.birthDate),
  ];
  if (errors.length) throw invalid(errors);
  const card = b.insuranceCardNo ? await checkInsuranceCard(ctx, null, b.insuredPlace, b.insuranceCardNo) : null;
  const bi = ctx.kernel.keys.blindIndex(id.idNumber, 'person.id_number');
  if (await personIdByIdentity(ctx.tx, idType, bi)) throw conflict(DUPLICATE, [{ field: 'idNumber', message: DUPLICATE }]);
  const street = b.residenceStreet ?? null;
  let row: Awaited<ReturnType<typeof insertPerson>>;
  try {
    row = await insertPerson(ctx.tx, {
      id_type: idType,
      id_number_enc: ctx.kernel.keys.encryptField(id.idNumber),
      id_number_bi: bi,
      id_number_mask: maskResidentId(id.idNumber),
      name: b.name,
      sex: id.sex as 'M' | 'F' | 'U',
      birth_date: id.birthDate as string,
      hukou_district: b.hukouDistrict ?? null,
      hukou_place: b.hukouPlace ?? null,
      residence_district: b.residenceDistrict,
      residence_street: street,
      residence_community: b.residenceCommunity ?? null,
      address: b.address ?? null,
      ...phoneColumns(ctx, b.phone),
      insurance_card_no: b.insuranceCardNo ?? null,
      insured_place: b.insuredPlace ?? null,
      status,
      death_date: b.deathDate ?? null,
      death_source: status === 'dead' ? 'manual' : null,
      managing_institution_id: street ? await findChcForStreet(ctx, street) : null,
    });
  } catch (e) {
    // The same identity registered outside the caller's scope: invisible to the check above.
    if (isUniqueViolation(e)) throw conflict(DUPLICATE, [{ field: 'idNumber', message: DUPLICATE }]);
    throw e;
  }
  ctx.audit.write({ action: 'resident.create', objectType: 'person', objectId: row.id, after: auditView(row) });
  return card?.warnings.length ? { ...toMasked(row), warnings: card.warnings } : toMasked(row);
}

export const createRoute = defineRoute({
  method: 'POST',
  url: '/residents',
  summary: '居民建档',
  description: '证件号码与手机号加密存储（SM4），以盲索引（HMAC-SM3）支持精确查询；返回脱敏信息。',
  auth: 'staff',
  permission: 'resident-index.write',
  body: CreateResidentBody,
  successStatus: 201,
  response: { 201: ResidentSaved },
  handler: (ctx, { body }) => createResident(ctx, body),
});
