import { Type } from '@sinclair/typebox';
import { AppError } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, pageOf, Paging } from '../../../platform/http/schema.ts';
import { DistrictCode, normalizePhone } from '../master-data/schema.ts';
import { ID_TYPES, type IdType, normalizeIdNumber } from './identity.ts';
import { searchByIdentity, searchByName, searchByPhone } from './repository.ts';
import { type MaskedResident, type ResidentCtx, toMasked } from './shapes.ts';
import { ResidentPage } from './responses.ts';

export const SearchQuery = Type.Object({
  idType: Type.Optional(enumOf(ID_TYPES, { default: 'resident_id' })),
  idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  district: Type.Optional(DistrictCode),
  fuzzy: Type.Optional(Type.Boolean({ default: false })),
  phone: Type.Optional(Type.String({ minLength: 3, maxLength: 20, pattern: '^[0-9 -]+$' })),
  ...Paging,
});
export type SearchInput = typeof SearchQuery.static;

/**
 * Exactly one key: identity number (blind index), name + district (prefix; trigram when fuzzy), or
 * phone (blind index). Row-level security limits every result to the caller's scope.
 */
export async function searchResidents(ctx: ResidentCtx, q: SearchInput): Promise<{ items: MaskedResident[]; total: number }> {
  const given = [q.idNumber, q.name, q.phone].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new AppError(400, 'VALIDATION_FAILED', '请按证件号码、姓名+区或手机号码中的一种查询', [
      { field: 'idNumber', message: '请按证件号码、姓名+区或手机号码中的一种查询' },
    ]);
  }
  const page = pageOf(q);
  let found: { rows: Parameters<typeof toMasked>[0][]; total: number };
  let by: string;
  if (q.idNumber !== undefined) {
    by = 'idNumber';
    const idType: IdType = q.idType ?? 'resident_id';
    found = await searchByIdentity(ctx.tx, idType, ctx.kernel.keys.blindIndex(normalizeIdNumber(q.idNumber), 'person.id_number'), page);
  } else if (q.phone !== undefined) {
    by = 'phone';
    found = await searchByPhone(ctx.tx, ctx.kernel.keys.blindIndex(normalizePhone(q.phone), 'person.phone'), page);
  } else {
    by = q.fuzzy ? 'name+district fuzzy' : 'name+district';
    if (!q.district) throw new AppError(400, 'VALIDATION_FAILED', '按姓名查询时须指定区', [{ field: 'district', message: '按姓名查询时须指定区' }]);
    found = await searchByName(ctx.tx, q.district, (q.name as string).trim(), q.fuzzy ?? false, page);
  }
  // A search is a look-up of people: record which key was used and how many matched, never the key itself.
  ctx.audit.read({ action: 'resident.search', objectType: 'person', objectId: null, note: `${by}: ${found.total}` });
  return { items: found.rows.map(toMasked), total: found.total };
}

export const searchRoute = defineRoute({
  method: 'GET',
  url: '/residents',
  summary: '查询居民（证件号码 / 姓名+区 / 手机号码）',
  auth: 'staff',
  permission: 'resident-index.read',
  querystring: SearchQuery,
  response: { 200: ResidentPage },
  handler: (ctx, { query }) => searchResidents(ctx, query),
});
