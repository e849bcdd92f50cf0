import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { AppError, conflict, type FieldError, forbidden, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { changes } from './audit-diff.ts';
import { CATEGORIES, GRADES, INSTITUTION_KINDS, OWNERSHIPS } from './enums.ts';
import * as repo from './repository.ts';
import { enumOf, Id, IdParams, Name, nonEmptyPatch, nullable, pageOf, Paging, Text } from '../../../platform/http/schema.ts';
import { DistrictCode, StreetCode } from './schema.ts';
import { InstitutionDetail as InstitutionDetailSchema, InstitutionPage } from './responses.ts';

type Ctx = ServiceContext;

const Department = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 20, pattern: '^[0-9A-Za-z.-]+$' }), name: Name(50) },
  { additionalProperties: false },
);

const editable = {
  name: Name(100),
  shortName: nullable(Text(50)),
  kind: enumOf(INSTITUTION_KINDS),
  level: nullable(Type.Integer({ minimum: 1, maximum: 3 })),
  grade: nullable(enumOf(GRADES)),
  category: enumOf(CATEGORIES),
  ownership: enumOf(OWNERSHIPS),
  parentId: nullable(Id),
  districtCode: DistrictCode,
  streetCode: nullable(StreetCode),
  address: nullable(Text(200)),
  phone: nullable(Text(40, { pattern: '^[0-9+\\-() ]*$' })),
  lng: nullable(Type.Number({ minimum: 120.8, maximum: 122.2 })),
  lat: nullable(Type.Number({ minimum: 30.6, maximum: 31.9 })),
  active: Type.Boolean(),
  departments: Type.Array(Department, { maxItems: 200 }),
};

const CreateBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9A-Za-z-]+$' }),
    name: editable.name,
    kind: editable.kind,
    districtCode: editable.districtCode,
    shortName: Type.Optional(editable.shortName),
    level: Type.Optional(editable.level),
    grade: Type.Optional(editable.grade),
    category: Type.Optional(editable.category),
    ownership: Type.Optional(editable.ownership),
    parentId: Type.Optional(editable.parentId),
    streetCode: Type.Optional(editable.streetCode),
    address: Type.Optional(editable.address),
    phone: Type.Optional(editable.phone),
    lng: Type.Optional(editable.lng),
    lat: Type.Optional(editable.lat),
    active: Type.Optional(editable.active),
    departments: Type.Optional(editable.departments),
  },
  { additionalProperties: false },
);

const PatchBody = Type.Partial(Type.Object(editable), { additionalProperties: false });

export type InstitutionInput = typeof CreateBody.static;
export type InstitutionPatch = typeof PatchBody.static;

export type InstitutionDetail = InstitutionDetailSchema;

export async function institutionDetail(ctx: Pick<Ctx, 'tx'>, id: number): Promise<InstitutionDetail> {
  const inst = await repo.getInstitution(ctx.tx, id);
  if (!inst) throw notFound('机构不存在');
  return { ...inst, departments: await repo.listDepartments(ctx.tx, id), branches: await repo.listBranches(ctx.tx, id) };
}

function invalid(details: FieldError[]): AppError {
  return new AppError(400, 'VALIDATION_FAILED', details[0]?.message ?? '输入有误', details);
}

/** Street in its district; 总院 exists, is not itself a 分院, and is not this institution. */
async function checkRelations(
  ctx: Ctx,
  id: number | null,
  v: { districtCode: string; streetCode?: string | null; parentId?: number | null; departments?: { code: string }[] },
) {
  const errors: FieldError[] = [];
  if (v.streetCode) {
    const s = (await repo.getRegions(ctx.tx, [v.streetCode])).get(v.streetCode);
    if (s?.level !== 'street') errors.push({ field: 'streetCode', message: '街镇代码不存在' });
    else if (s.districtCode !== v.districtCode) errors.push({ field: 'streetCode', message: '街镇不属于所填的区' });
  }
  if (v.parentId) {
    const parent = await repo.getInstitution(ctx.tx, v.parentId);
    if (v.parentId === id) errors.push({ field: 'parentId', message: '上级机构不能是本机构' });
    else if (!parent) errors.push({ field: 'parentId', message: '上级机构不存在' });
    else if (parent.parentId) errors.push({ field: 'parentId', message: '上级机构本身是分院，分院不能再设分院' });
    else if (id && (await repo.hasBranches(ctx.tx, id))) errors.push({ field: 'parentId', message: '本机构设有分院，不能再作为分院' });
  }
  const codes = (v.departments ?? []).map((d) => d.code);
  if (new Set(codes).size !== codes.length) errors.push({ field: 'departments', message: '科室代码不能重复' });
  if (errors.length) throw invalid(errors);
}

export async function createInstitution(ctx: Ctx, b: InstitutionInput): Promise<InstitutionDetail> {
  await checkRelations(ctx, null, b);
  if (await repo.institutionIdByCode(ctx.tx, b.code)) throw conflict('机构代码已存在', [{ field: 'code', message: '机构代码已存在' }]);
  const id = await repo.insertInstitution(ctx.tx, {
    code: b.code,
    name: b.name,
    short_name: b.shortName ?? null,
    kind: b.kind,
    level: b.level ?? null,
    grade: b.grade ?? null,
    category: b.category,
    ownership: b.ownership,
    parent_id: b.parentId ?? null,
    district_code: b.districtCode,
    street_code: b.streetCode ?? null,
    address: b.address ?? null,
    phone: b.phone ?? null,
    lng: b.lng ?? null,
    lat: b.lat ?? null,
    active: b.active,
  });
  await repo.upsertDepartments(ctx.tx, id, b.districtCode, b.departments ?? []);
  const after = await institutionDetail(ctx, id);
  ctx.audit.write({ action: 'institution.create', objectType: 'institution', objectId: id, after });
  return after;
}

export async function patchInstitution(ctx: Ctx, id: number, b: InstitutionPatch): Promise<InstitutionDetail> {
  nonEmptyPatch(b);
  const before = await institutionDetail(ctx, id);
  const districtCode = b.districtCode ?? before.districtCode;
  // A new district invalidates the old street unless a street comes with it.
  const streetCode = b.streetCode !== undefined ? b.streetCode : b.districtCode && b.districtCode !== before.districtCode ? null : before.streetCode;
  await checkRelations(ctx, id, { districtCode, streetCode, parentId: b.parentId, departments: b.departments });
  const ok = await repo.updateInstitution(ctx.tx, id, {
    name: b.name,
    short_name: b.shortName,
    kind: b.kind,
    level: b.level,
    grade: b.grade,
    category: b.category,
    ownership: b.ownership,
    parent_id: b.parentId,
    district_code: districtCode,
    street_code: streetCode,
    address: b.address,
    phone: b.phone,
    lng: b.lng,
    lat: b.lat,
    active: b.active,
  });
  if (!ok) throw forbidden('该机构不在您的数据权限范围内，不能修改');
  if (districtCode !== before.districtCode || streetCode !== before.streetCode) await repo.recopyScopeKeys(ctx.tx, id, districtCode, streetCode);
  await repo.upsertDepartments(ctx.tx, id, districtCode, b.departments ?? []);
  const after = await institutionDetail(ctx, id);
  const diff = changes({ ...before, branches: null }, { ...after, branches: null });
  ctx.audit.write({ action: 'institution.update', objectType: 'institution', objectId: id, ...diff });
  return after;
}

export const institutionRoutes = [
  defineRoute({
    method: 'GET',
    url: '/institutions',
    summary: '机构列表',
    auth: 'staff',
    permission: 'master-data.read',
    querystring: Type.Object({
      district: Type.Optional(DistrictCode),
      kind: Type.Optional(enumOf(INSTITUTION_KINDS)),
      parentId: Type.Optional(Id),
      q: Type.Optional(Text(50)),
      ...Paging,
    }),
    response: { 200: InstitutionPage },
    handler: (ctx, { query }) => repo.listInstitutions(ctx.tx, { ...query, ...pageOf(query) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/institutions/:id',
    summary: '机构详情（含科室、分院）',
    auth: 'staff',
    permission: 'master-data.read',
    params: IdParams,
    response: { 200: InstitutionDetailSchema },
    handler: (ctx, { params }) => institutionDetail(ctx, params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/institutions',
    summary: '新增机构',
    auth: 'staff',
    permission: 'master-data.manage',
    body: CreateBody,
    successStatus: 201,
    response: { 201: InstitutionDetailSchema },
    handler: (ctx, { body }) => createInstitution(ctx, body),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/institutions/:id',
    summary: '修改机构',
    auth: 'staff',
    permission: 'master-data.manage',
    params: IdParams,
    body: PatchBody,
    response: { 200: InstitutionDetailSchema },
    handler: (ctx, { params, body }) => patchInstitution(ctx, params.id, body),
  }),
];
