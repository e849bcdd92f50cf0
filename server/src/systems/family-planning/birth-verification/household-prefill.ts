import { defineRoute } from '../../../platform/http/route.ts';
import { IdParams } from '../../../platform/http/schema.ts';
import { differencesFrom, registrationForBirth } from '../household-verification/service.ts';
import type * as tasks from './task-repository.ts';
import { loadTask, streetNames } from './tasks.ts';
import { type HouseholdField, HouseholdPrefill } from './responses.ts';

const SEX = { M: '男', F: '女', U: '未知' } as const;

/**
 * The 公安 报出生户口 registration of a task's birth beside the task's own fields: what the street worker
 * can adopt into the approval form with one click (nothing is saved until the worker submits).
 */
export async function householdPrefill(ctx: Parameters<typeof loadTask>[0], t: tasks.TaskRow) {
  const reg = await registrationForBirth(ctx, { certificateNo: t.certificate_no, childName: t.child_name, birthDate: t.birth_date, motherName: t.mother_name });
  if (!reg) {
    return {
      taskId: t.id,
      found: false as const,
      message: '暂无该儿童的公安报出生户口记录（可能尚未落户，或当月数据尚未拉取）',
      record: null,
      fields: [] as HouseholdField[],
    };
  }
  const diff = new Map(
    differencesFrom(reg, { certificateNo: t.certificate_no, childName: t.child_name, sex: t.child_sex, birthDate: t.birth_date }).map((d) => [d.field, d]),
  );
  const text = (a: string | null, b: string | null) => a !== null && b !== null && a !== b;
  const fields: HouseholdField[] = [
    {
      key: 'childName',
      title: '儿童姓名',
      taskValue: t.child_name,
      policeValue: reg.childName,
      fillValue: reg.childName,
      differs: diff.has('name'),
      fillable: true,
    },
    {
      key: 'childSex',
      title: '儿童性别',
      taskValue: t.child_sex ? SEX[t.child_sex] : null,
      policeValue: SEX[reg.sex],
      fillValue: reg.sex === 'U' ? null : reg.sex,
      differs: diff.has('sex'),
      fillable: reg.sex !== 'U',
    },
    {
      key: 'birthDate',
      title: '出生日期',
      taskValue: t.birth_date,
      policeValue: reg.birthDate,
      fillValue: reg.birthDate,
      differs: diff.has('birthDate'),
      fillable: true,
    },
    {
      key: 'motherName',
      title: '母亲姓名',
      taskValue: t.mother_name,
      policeValue: reg.motherName,
      fillValue: null,
      differs: text(t.mother_name, reg.motherName),
      fillable: false,
    },
    {
      key: 'fatherName',
      title: '父亲姓名',
      taskValue: t.father_name,
      policeValue: reg.fatherName,
      fillValue: reg.fatherName,
      differs: text(t.father_name, reg.fatherName),
      fillable: reg.fatherName !== null,
    },
  ];
  const names = reg.streetCode ? await streetNames(ctx, [reg.streetCode]) : new Map<string, string>();
  return {
    taskId: t.id,
    found: true as const,
    message: fields.some((f) => f.differs) ? '公安登记与本任务信息存在差异（已标红），请核实后决定是否采用' : '公安登记与本任务信息一致',
    record: {
      regNo: reg.regNo,
      month: reg.month,
      childIdMasked: reg.childIdMasked,
      registeredOn: reg.registeredOn,
      policeCode: reg.policeCode,
      policeName: reg.policeName,
      hukouStreetCode: reg.streetCode,
      hukouStreetName: reg.streetCode ? (names.get(reg.streetCode) ?? null) : null,
      hukouDistrictCode: reg.districtCode,
      motherIdMasked: reg.motherIdMasked,
      fatherIdMasked: reg.fatherIdMasked,
      matchedBy: reg.matchedBy,
      matchedByTitle: reg.matchedBy === 'certificate' ? '按出生医学证明编号匹配' : '按儿童姓名、出生日期与母亲姓名匹配',
    },
    fields,
  };
}

export const householdPrefillRoute = defineRoute({
  method: 'GET',
  url: '/birth-verification/tasks/:id/household-prefill',
  summary: '核实表单的公安报出生户口预填（户籍登记信息及与任务的差异）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.verify',
  params: IdParams,
  response: { 200: HouseholdPrefill },
  handler: async (ctx, { params }) => {
    const t = await loadTask(ctx, params.id);
    const out = await householdPrefill(ctx, t);
    ctx.audit.read({
      action: 'birth-verification.task.household-prefill',
      objectType: 'fp_verify_task',
      objectId: t.id,
      districtCode: t.district_code,
      note: out.found ? `调阅公安报出生户口登记 ${out.record.regNo}` : '无公安报出生户口记录',
    });
    return out;
  },
});
