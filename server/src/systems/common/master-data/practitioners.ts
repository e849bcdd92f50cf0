import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { AppError, conflict, type FieldError, forbidden, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { maskPhone, maskResidentId, normalizeResidentId, validateResidentId } from '../../../platform/util/resident-id.ts';
import { changes } from './audit-diff.ts';
import { PRACTICE_CATEGORIES, TITLES } from './enums.ts';
import * as repo from './repository.ts';
import { enumOf, Id, IdParams, Name, nonEmptyPatch, nullable, pageOf, Paging, Text } from '../../../platform/http/schema.ts';
import { DistrictCode, normalizePhone, Phone } from './schema.ts';
import { Practitioner, PractitionerPage } from './responses.ts';

type Ctx = ServiceContext;

const editable = {
  institutionId: Id,
  departmentId: nullable(Id),
  name: Name(50),
  sex: enumOf(['M', 'F'] as const),
  birthDate: nullable(Type.String({ format: 'past-date', maxLength: 10 })),
  idNumber: nullable(Type.String({ minLength: 1, maxLength: 18 })),
  qualificationNo: nullable(Text(40)),
  practiceCertNo: nullable(Text(40)),
  practiceCategory: nullable(enumOf(PRACTICE_CATEGORIES)),
  practiceScope: nullable(Text(100)),
  title: nullable(enumOf(TITLES)),
  isFamilyDoctor: Type.Boolean(),
  phone: nullable(Phone),
  active: Type.Boolean(),
};

const CreateBody = Type.Object(
  {
    institutionId: editable.institutionId,
    name: editable.name,
    sex: editable.sex,
    departmentId: Type.Optional(editable.departmentId),
    birthDate: Type.Optional(editable.birthDate),
    idNumber: Type.Optional(editable.idNumber),
    qualificationNo: Type.Optional(editable.qualificationNo),
    practiceCertNo: Type.Optional(editable.practiceCertNo),
    practiceCategory: Type.Optional(editable.practiceCategory),
    practiceScope: Type.Optional(editable.practiceScope),
    title: Type.Optional(editable.title),
    isFamilyDoctor: Type.Optional(editable.isFamilyDoctor),
    phone: Type.Optional(editable.phone),
    active: Type.Optional(editable.active),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(Type.Object(editable), { additionalProperties: false });

export type PractitionerInput = typeof CreateBody.static;
export type PractitionerPatch = typeof PatchBody.static;

function invalid(details: FieldError[]): AppError {
  return new AppError(400, 'VALIDATION_FAILED', details[0]?.message ?? '输入有误', details);
}

/** ID number (optional) checked as a 居民身份证 and against sex / birth date; returns sealed columns. */
async function identityColumns(
  ctx: Ctx,
  selfId: number | null,
  idNumber: string | null | undefined,
  sex: string,
  birthDate: string | null | undefined,
  errors: FieldError[],
) {
  if (idNumber === undefined) return {};
  if (idNumber === null) return { id_number_enc: null, id_number_bi: null, id_number_mask: null };
  const id = normalizeResidentId(idNumber);
  const v = validateResidentId(id);
  if (!v.ok) {
    errors.push({ field: 'idNumber', message: v.reason });
    return {};
  }
  if (v.sex !== sex) errors.push({ field: 'idNumber', message: '身份证号码中的性别与所填性别不一致' });
  if (birthDate && v.birthDate !== birthDate) errors.push({ field: 'idNumber', message: '身份证号码中的出生日期与所填出生日期不一致' });
  const bi = ctx.kernel.keys.blindIndex(id, 'practitioner.id_number');
  const other = await repo.practitionerIdByBlindIndex(ctx.tx, bi);
  if (other && other !== selfId) throw conflict('该身份证号码的医务人员已存在', [{ field: 'idNumber', message: '该身份证号码的医务人员已存在' }]);
  return { id_number_enc: ctx.kernel.keys.encryptField(id), id_number_bi: bi, id_number_mask: maskResidentId(id), birth_date: birthDate ?? v.birthDate };
}

function phoneColumns(ctx: Ctx, phone: string | null | undefined) {
  if (phone === undefined) return {};
  if (phone === null) return { phone_enc: null, phone_mask: null };
  const p = normalizePhone(phone);
  return { phone_enc: ctx.kernel.keys.encryptField(p), phone_mask: maskPhone(p) };
}

async function institutionAndDepartment(ctx: Ctx, institutionId: number, departmentId: number | null | undefined, errors: FieldError[]) {
  const inst = await repo.getInstitution(ctx.tx, institutionId);
  if (!inst) errors.push({ field: 'institutionId', message: '机构不存在' });
  if (departmentId) {
    const dep = await repo.departmentOf(ctx.tx, departmentId);
    if (!dep || dep.institutionId !== institutionId) errors.push({ field: 'departmentId', message: '科室不存在或不属于该机构' });
  }
  return inst;
}

export async function createPractitioner(ctx: Ctx, b: PractitionerInput): Promise<repo.PractitionerDto> {
  const errors: FieldError[] = [];
  const inst = await institutionAndDepartment(ctx, b.institutionId, b.departmentId, errors);
  const identity = await identityColumns(ctx, null, b.idNumber, b.sex, b.birthDate, errors);
  if (errors.length || !inst) throw invalid(errors);
  const id = await repo.insertPractitioner(ctx.tx, {
    institution_id: b.institutionId,
    department_id: b.departmentId ?? null,
    name: b.name,
    sex: b.sex,
    birth_date: b.birthDate ?? null,
    ...identity,
    qualification_no: b.qualificationNo ?? null,
    practice_cert_no: b.practiceCertNo ?? null,
    practice_category: b.practiceCategory ?? null,
    practice_scope: b.practiceScope ?? null,
    title: b.title ?? null,
    is_family_doctor: b.isFamilyDoctor,
    ...phoneColumns(ctx, b.phone),
    // Copied from the institution: the practitioner's data-scope key.
    district_code: inst.districtCode,
    street_code: inst.streetCode,
    active: b.active,
  });
  const after = (await repo.getPractitioner(ctx.tx, id)) as repo.PractitionerDto;
  ctx.audit.write({ action: 'practitioner.create', objectType: 'practitioner', objectId: id, after });
  return after;
}

export async function patchPractitioner(ctx: Ctx, id: number, b: PractitionerPatch): Promise<repo.PractitionerDto> {
  nonEmptyPatch(b);
  const before = await repo.getPractitioner(ctx.tx, id);
  if (!before) throw notFound('医务人员不存在');
  const errors: FieldError[] = [];
  const institutionId = b.institutionId ?? before.institutionId;
  // Moving to another institution drops the old department unless a new one is given.
  const departmentId = b.departmentId !== undefined ? b.departmentId : institutionId !== before.institutionId ? null : before.departmentId;
  const inst = await institutionAndDepartment(ctx, institutionId, departmentId, errors);
  const sex = b.sex ?? before.sex;
  const birthDate = b.birthDate !== undefined ? b.birthDate : before.birthDate;
  const identity = await identityColumns(ctx, id, b.idNumber, sex, b.idNumber !== undefined ? birthDate : undefined, errors);
  if (b.idNumber === undefined && (b.sex !== undefined || b.birthDate !== undefined) && before.idNumberMasked) {
    // The stored number still has to agree with a changed sex or birth date.
    const v = validateResidentId(ctx.kernel.keys.decryptField((await repo.practitionerIdNumberEnc(ctx.tx, id)) as string));
    if (v.ok && v.sex !== sex) errors.push({ field: 'sex', message: '性别与身份证号码不一致' });
    if (v.ok && birthDate && v.birthDate !== birthDate) errors.push({ field: 'birthDate', message: '出生日期与身份证号码不一致' });
  }
  if (errors.length || !inst) throw invalid(errors);
  const ok = await repo.updatePractitioner(ctx.tx, id, {
    institution_id: b.institutionId,
    department_id: departmentId,
    name: b.name,
    sex: b.sex,
    birth_date: b.birthDate,
    ...identity,
    qualification_no: b.qualificationNo,
    practice_cert_no: b.practiceCertNo,
    practice_category: b.practiceCategory,
    practice_scope: b.practiceScope,
    title: b.title,
    is_family_doctor: b.isFamilyDoctor,
    ...phoneColumns(ctx, b.phone),
    district_code: inst.districtCode,
    street_code: inst.streetCode,
    active: b.active,
  });
  if (!ok) throw forbidden('该医务人员不在您的数据权限范围内，不能修改');
  const after = (await repo.getPractitioner(ctx.tx, id)) as repo.PractitionerDto;
  ctx.audit.write({ action: 'practitioner.update', objectType: 'practitioner', objectId: id, ...changes(before, after) });
  return after;
}

export const practitionerRoutes = [
  defineRoute({
    method: 'GET',
    url: '/practitioners',
    summary: '医务人员列表',
    auth: 'staff',
    permission: 'master-data.read',
    querystring: Type.Object({
      institutionId: Type.Optional(Id),
      district: Type.Optional(DistrictCode),
      q: Type.Optional(Text(50)),
      familyDoctor: Type.Optional(Type.Boolean()),
      ...Paging,
    }),
    response: { 200: PractitionerPage },
    handler: (ctx, { query }) => repo.listPractitioners(ctx.tx, { ...query, ...pageOf(query) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/practitioners',
    summary: '新增医务人员',
    auth: 'staff',
    permission: 'master-data.manage',
    body: CreateBody,
    successStatus: 201,
    response: { 201: Practitioner },
    handler: (ctx, { body }) => createPractitioner(ctx, body),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/practitioners/:id',
    summary: '修改医务人员',
    auth: 'staff',
    permission: 'master-data.manage',
    params: IdParams,
    body: PatchBody,
    response: { 200: Practitioner },
    handler: (ctx, { params, body }) => patchPractitioner(ctx, params.id, body),
  }),
];
