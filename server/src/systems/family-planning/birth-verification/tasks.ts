import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../../platform/http/errors.ts';
import { type Sql, sql, where } from '../../../platform/db/index.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, Id, IdParams } from '../../../platform/http/schema.ts';
import { StreetCode } from '../../common/master-data/schema.ts';
import { getRegion } from '../../common/master-data/service.ts';
import { getPeople, normalizeIdNumber } from '../../common/resident-index/service.ts';
import { computeBirthOrder } from './birth-order.ts';
import { STATUS_TITLE, taskNo } from './cloud-push.ts';
import { CHECK_TITLE, type CheckCode } from './precheck.ts';
import * as repo from './repository.ts';
import * as tasks from './task-repository.ts';
import { PARENT_ID_TYPE_NAME } from './id-types.ts';
import { idTypesOf } from './id-type-store.ts';
import { type Task, TaskDetail, TaskList, TaskPrefill } from './responses.ts';

export const STATUSES = ['pending', 'assisting', 'approved', 'rejected'] as const;
export const DECISION_TITLE = { confirmed: '信息属实', corrected: '修正后属实', invalid: '信息不实' } as const;
const CHECK_CODES = Object.keys(CHECK_TITLE) as CheckCode[];
const ACTION_TITLE: Record<string, string> = {
  created: '市妇幼推送，任务派发',
  source_update: '市妇幼信息变更，退回重新核实',
  precheck: '重新预检',
  approve: '核实通过',
  reject: '核实不通过',
  reverify: '发起重新核实，任务退回待核实',
  assist_request: '发起协查',
  assist_accept: '采纳协查反馈',
  assist_return: '退回协查反馈',
  cloud_feedback: '社区云回传走访情况',
};

/** The list / detail shape: identity numbers only as masks, names in full (the street works with them). */
export function taskView(t: tasks.TaskRow, streetNames: Map<string, string> = new Map()): Task {
  const blocking = t.precheck.filter((f) => f.severity === 'block').length;
  const ids = idTypesOf(t);
  return {
    id: t.id,
    taskNo: taskNo(t.id),
    certificateNo: t.certificate_no,
    status: t.status,
    statusTitle: STATUS_TITLE[t.status],
    version: t.version,
    verifyRound: t.verify_round,
    sourceDate: t.source_date,
    districtCode: t.district_code,
    streetCode: t.street_code,
    streetName: streetNames.get(t.street_code) ?? null,
    childName: t.child_name,
    childSex: t.child_sex,
    birthDate: t.birth_date,
    birthWeight: t.birth_weight,
    hospital: t.hospital,
    claimedBirthOrder: t.claimed_birth_order,
    address: t.address,
    childPersonId: t.child_person_id,
    motherName: t.mother_name,
    motherIdMasked: t.mother_id_mask,
    motherIdType: ids.mother_id_type,
    motherIdTypeTitle: PARENT_ID_TYPE_NAME[ids.mother_id_type],
    motherPersonId: t.mother_person_id,
    fatherName: t.father_name,
    fatherIdMasked: t.father_id_mask,
    fatherIdType: ids.father_id_type,
    fatherIdTypeTitle: ids.father_id_type ? PARENT_ID_TYPE_NAME[ids.father_id_type] : null,
    fatherPersonId: t.father_person_id,
    findings: t.precheck,
    blockingCount: blocking,
    precheckAt: t.precheck_at?.toISOString() ?? null,
    decision: t.decision,
    decisionTitle: t.decision ? DECISION_TITLE[t.decision] : null,
    decisionNote: t.decision_note,
    decidedBy: t.decided_by,
    decidedAt: t.decided_at?.toISOString() ?? null,
    result: t.result,
  };
}

export async function streetNames(ctx: ServiceContext, codes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const code of new Set(codes)) {
    const r = await getRegion(ctx, code);
    if (r) out.set(code, r.name);
  }
  return out;
}

const IdNumber = Type.String({ minLength: 15, maxLength: 18, pattern: '^[0-9]{15}([0-9]{2}[0-9Xx])?$' });
const DateStr = Type.String({ format: 'date', maxLength: 10 });

export const TaskQuery = Type.Object(
  {
    status: Type.Optional(enumOf(STATUSES)),
    districtCode: Type.Optional(Type.String({ pattern: '^3101\\d{2}$', maxLength: 6 })),
    streetCode: Type.Optional(StreetCode),
    taskNo: Type.Optional(Type.String({ maxLength: 12, pattern: '^BV\\d{1,10}$' })),
    certificateNo: Type.Optional(Type.String({ maxLength: 20, pattern: '^[A-Za-z0-9]{1,20}$' })),
    childName: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    birthFrom: Type.Optional(DateStr),
    birthTo: Type.Optional(DateStr),
    sourceFrom: Type.Optional(DateStr),
    sourceTo: Type.Optional(DateStr),
    motherName: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    motherIdNumber: Type.Optional(IdNumber),
    fatherName: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    fatherIdNumber: Type.Optional(IdNumber),
    finding: Type.Optional(enumOf(CHECK_CODES)),
    blocking: Type.Optional(Type.Boolean({ description: '只看有阻断性预检问题的任务' })),
    reverified: Type.Optional(Type.Boolean({ description: '只看经过重新核实的任务' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

/** 组合查询: task, child, mother and father fields together; row-level security narrows to the caller's streets. */
export const listTasksRoute = defineRoute({
  method: 'GET',
  url: '/birth-verification/tasks',
  summary: '出生监测核实任务组合查询（任务、儿童、母亲、父亲信息）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.read',
  querystring: TaskQuery,
  response: { 200: TaskList },
  handler: async (ctx, { query: q }) => {
    const conds: Sql[] = [];
    const add = (c: Sql) => conds.push(c);
    const like = (v: string) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const bi = (v: string) => ctx.kernel.keys.blindIndex(normalizeIdNumber(v), 'person.id_number');
    if (q.districtCode) add(sql`district_code = ${q.districtCode}`);
    if (q.streetCode) add(sql`street_code = ${q.streetCode}`);
    if (q.taskNo) add(sql`id = ${Number(q.taskNo.slice(2))}`);
    if (q.certificateNo) add(sql`certificate_no = ${q.certificateNo.toUpperCase()}`);
    if (q.childName) add(sql`child_name like ${like(q.childName)}`);
    if (q.birthFrom) add(sql`birth_date >= ${q.birthFrom}`);
    if (q.birthTo) add(sql`birth_date <= ${q.birthTo}`);
    if (q.sourceFrom) add(sql`source_date >= ${q.sourceFrom}`);
    if (q.sourceTo) add(sql`source_date <= ${q.sourceTo}`);
    if (q.motherName) add(sql`mother_name like ${like(q.motherName)}`);
    if (q.motherIdNumber) add(sql`mother_id_bi = ${bi(q.motherIdNumber)}`);
    if (q.fatherName) add(sql`father_name like ${like(q.fatherName)}`);
    if (q.fatherIdNumber) add(sql`father_id_bi = ${bi(q.fatherIdNumber)}`);
    if (q.finding) add(sql`precheck @> ${JSON.stringify([{ code: q.finding }])}::jsonb`);
    if (q.blocking === true) add(sql`precheck @> '[{"severity":"block"}]'::jsonb`);
    if (q.blocking === false) add(sql`not precheck @> '[{"severity":"block"}]'::jsonb`);
    if (q.reverified === true) add(sql`verify_round > 1`);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    // The counts by status ignore the status filter (the tabs show them all).
    const filter = where([...conds, q.status && sql`status = ${q.status}`]);
    const rows = await ctx.tx.query<tasks.TaskRow & { total: number }>(
      sql`select *, count(*) over () as total from fp_verify_task ${filter} order by (status in ('pending', 'assisting')) desc, birth_date desc, id desc limit ${pageSize} offset ${(page - 1) * pageSize}`,
    );
    const byStatus = Object.fromEntries(
      (await ctx.tx.query<{ status: string; n: number }>(sql`select status, count(*)::int as n from fp_verify_task ${where(conds)} group by status`)).map(
        (r) => [r.status, r.n],
      ),
    );
    const names = await streetNames(
      ctx,
      rows.map((r) => r.street_code),
    );
    ctx.audit.read({ action: 'birth-verification.tasks.search', objectType: 'fp_verify_task', note: `核实任务组合查询，返回 ${rows.length} 条` });
    return {
      items: rows.map((r) =>
        taskView(
          {
            ...r,
            id: Number(r.id),
            child_person_id: r.child_person_id === null ? null : Number(r.child_person_id),
            mother_person_id: r.mother_person_id === null ? null : Number(r.mother_person_id),
            father_person_id: r.father_person_id === null ? null : Number(r.father_person_id),
          },
          names,
        ),
      ),
      total: Number(rows[0]?.total ?? 0),
      page,
      pageSize,
      byStatus,
    };
  },
});

export async function loadTask(ctx: ServiceContext, id: number, forUpdate = false): Promise<tasks.TaskRow> {
  const t = await tasks.taskById(ctx.tx, id, forUpdate);
  if (!t) throw notFound('核实任务不存在或不在您的数据权限范围内');
  return t;
}

export const getTaskRoute = defineRoute({
  method: 'GET',
  url: '/birth-verification/tasks/:id',
  summary: '核实任务详情（含完整处理历史与协查）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.read',
  params: IdParams,
  response: { 200: TaskDetail },
  handler: async (ctx, { params }) => {
    const t = await loadTask(ctx, params.id);
    const history = await tasks.events(ctx.tx, t.id);
    const assists = await ctx.tx.query<Record<string, unknown>>('select * from fp_assist_request where task_id = $1 order by id', [t.id]);
    const names = await streetNames(ctx, [t.street_code, ...assists.map((a) => a.to_street as string)]);
    ctx.audit.read({
      action: 'birth-verification.task.view',
      objectType: 'fp_verify_task',
      objectId: t.id,
      districtCode: t.district_code,
      note: '查看出生监测核实任务',
    });
    return {
      task: taskView(t, names),
      history: history.map((e) => ({ ...e, actionTitle: ACTION_TITLE[e.action] ?? e.action })),
      assists: assists.map((a) => assistView(a, names)),
    };
  },
});

export function assistView(a: Record<string, unknown>, names: Map<string, string> = new Map()) {
  return {
    id: Number(a.id),
    taskId: Number(a.task_id),
    status: a.status as string,
    statusTitle: ASSIST_STATUS_TITLE[a.status as string] ?? (a.status as string),
    round: a.round as number,
    fromStreet: a.from_street as string,
    fromStreetName: names.get(a.from_street as string) ?? null,
    toStreet: a.to_street as string,
    toStreetName: names.get(a.to_street as string) ?? null,
    question: a.question as string,
    snapshot: a.snapshot,
    replyResult: a.reply_result as string | null,
    replyResultTitle: a.reply_result ? (REPLY_TITLE[a.reply_result as string] ?? null) : null,
    replyNote: a.reply_note as string | null,
    repliedBy: a.replied_by as string | null,
    repliedAt: a.replied_at,
    handledNote: a.handled_note as string | null,
    handledBy: a.handled_by as string | null,
    handledAt: a.handled_at,
    requestedBy: a.requested_by as string,
    createdAt: a.created_at,
  };
}

export const ASSIST_STATUS_TITLE: Record<string, string> = { requested: '待协查', replied: '已反馈', accepted: '已采纳', closed: '已关闭' };
export const REPLY_TITLE: Record<string, string> = { confirmed: '核实属实（在本街道居住）', not_found: '查无此人', moved: '已迁出', other: '其他' };

/**
 * 信息预填: the approval form filled from the population index (the child, the parents, 户籍, the
 * computed 孩次), each value with where it came from and where it differs from the 市妇幼 record.
 */
export const prefillRoute = defineRoute({
  method: 'GET',
  url: '/birth-verification/tasks/:id/prefill',
  summary: '核实表单预填（来自人口库与出生记录）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'birth-verification.verify',
  params: IdParams,
  response: { 200: TaskPrefill },
  handler: async (ctx, { params }) => {
    const t = await loadTask(ctx, params.id);
    const people = await getPeople(
      ctx,
      [t.child_person_id, t.mother_person_id, t.father_person_id].filter((x): x is number => x !== null),
    );
    const child = t.child_person_id === null ? undefined : people.get(t.child_person_id);
    const mother = t.mother_person_id === null ? undefined : people.get(t.mother_person_id);
    const father = t.father_person_id === null ? undefined : people.get(t.father_person_id);
    const order = t.child_person_id === null ? null : computeBirthOrder(t.child_person_id, await repo.familyRecords(ctx.tx, [t.child_person_id]));
    const field = (key: string, title: string, fromPopulation: unknown, fromSource: unknown) => ({
      key,
      title,
      value: fromPopulation ?? fromSource ?? null,
      origin: fromPopulation !== undefined && fromPopulation !== null ? 'population' : 'mch',
      sourceValue: fromSource ?? null,
      differs:
        fromPopulation !== undefined &&
        fromPopulation !== null &&
        fromSource !== null &&
        fromSource !== undefined &&
        String(fromPopulation) !== String(fromSource),
    });
    ctx.audit.read({
      action: 'birth-verification.task.prefill',
      objectType: 'fp_verify_task',
      objectId: t.id,
      districtCode: t.district_code,
      note: '核实表单预填（调阅人口库）',
    });
    return {
      taskId: t.id,
      fields: [
        field('childName', '儿童姓名', child?.name, t.child_name),
        field('childSex', '儿童性别', child?.sex, t.child_sex),
        field('birthDate', '出生日期', child?.birthDate, t.birth_date),
        field('childIdMasked', '儿童身份证号', child?.idNumberMasked, null),
        field('hukouDistrict', '户籍所在区', child?.hukouDistrict, null),
        field('claimedBirthOrder', '孩次', order?.birthOrder, t.claimed_birth_order),
        field('motherName', '母亲姓名', mother?.name, t.mother_name),
        field('motherResidence', '母亲居住街道', mother?.residenceStreet, t.street_code),
        field('fatherName', '父亲姓名', father?.name, t.father_name),
      ],
      birthOrderExplanation: order?.explanation ?? null,
    };
  },
});

export const TaskIdParams = Type.Object({ id: Id }, { additionalProperties: false });
