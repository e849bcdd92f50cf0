import { Type } from '@sinclair/typebox';
import { unsourcedIndexMatch } from '../../../platform/crypto/index.ts';
import { conflict, notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { todayInShanghai } from '../../../platform/rules/dates.ts';
import { enumOf } from '../../../platform/http/schema.ts';
import { DistrictCode } from '../../common/master-data/schema.ts';
import { getPerson, normalizeIdNumber } from '../../common/resident-index/service.ts';
import { auditFacts } from './cases.ts';
import type { MarriageRecord } from './normalize.ts';
import * as repo from './repository.ts';
import { ConfirmResult, InvalidateResult, LogList, MvCaseDetail, MvCaseList, type MvCase, Stats } from './responses.ts';
import { auditCase, type PartyMatch } from './rules.ts';
import { withdraw, writeBack } from './write-back.ts';

const STATUSES = ['matched', 'exception', 'manual', 'confirmed', 'invalid'] as const;
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Note = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S', description: '处理说明' });

const view = (r: repo.CaseRow): MvCase => ({
  id: r.id,
  recordNo: r.record_no,
  kind: r.kind,
  registeredOn: r.registered_on,
  districtCode: r.district_code,
  status: r.status,
  manual: r.manual,
  husband: { name: r.husband_name, birthDate: r.husband_birth, idNumberMasked: r.husband_id_masked, hukou: r.husband_hukou, personId: r.husband_person_id },
  wife: { name: r.wife_name, birthDate: r.wife_birth, idNumberMasked: r.wife_id_masked, hukou: r.wife_hukou, personId: r.wife_person_id },
  matchDetail: r.match_detail,
  findings: r.findings,
  note: r.note,
  handledBy: r.handled_by,
  handledAt: r.handled_at,
  createdAt: r.created_at,
  writtenBack: r.written_back_at ? { marriageId: r.marriage_id, own: r.marriage_own, at: r.written_back_at } : null,
});

export const listCasesRoute = defineRoute({
  method: 'GET',
  url: '/marriage-verification/cases',
  summary: '婚姻核对个案（按状态、区、登记日期、登记证字号、男方或女方证件号码）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'marriage-verification.read',
  querystring: Type.Object(
    {
      status: Type.Optional(enumOf(STATUSES)),
      district: Type.Optional(DistrictCode),
      recordNo: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      idNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '\\S', description: '男方或女方证件号码（按盲索引匹配）' })),
      from: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '登记日期起' })),
      to: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '登记日期止' })),
      page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
      pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    },
    { additionalProperties: false },
  ),
  response: { 200: MvCaseList },
  handler: async (ctx, { query }) => {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { rows, total } = await repo.listCases(ctx.tx, {
      status: query.status ?? null,
      district: query.district ?? null,
      recordNo: query.recordNo?.trim() ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      idNumber: query.idNumber ? unsourcedIndexMatch(ctx.kernel.keys, normalizeIdNumber(query.idNumber), 'person.id_number') : null,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    ctx.audit.read({
      action: 'marriage-verification.case.list',
      objectType: 'fp_mv_case',
      objectId: null,
      note: query.idNumber ? `按证件号码查询：${total}` : `${total}`,
    });
    return { items: rows.map(view), total, page, pageSize };
  },
});

export const getCaseRoute = defineRoute({
  method: 'GET',
  url: '/marriage-verification/cases/:id',
  summary: '婚姻核对个案详情（匹配明细、审核结果、处理日志）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'marriage-verification.read',
  params: Id,
  response: { 200: MvCaseDetail },
  handler: async (ctx, { params }) => {
    const c = await repo.caseById(ctx.tx, params.id);
    if (!c) throw notFound();
    const log = await ctx.tx.query('select id::int as id, kind, status, detail, actor, at from fp_mv_log where case_id = $1 order by id', [c.id]);
    ctx.audit.read({ action: 'marriage-verification.case.view', objectType: 'fp_mv_case', objectId: c.id });
    return { ...view(c), log };
  },
});

function open(c: repo.CaseRow) {
  if (c.status === 'invalid') throw conflict('该个案已标记为无效，不能再处理');
}

/**
 * 人工确认: a person confirms the match, naming the persons when the automatic match found none (or the
 * wrong one). The audit runs again on the chosen persons; what still fails is recorded with the note but
 * does not block — the person takes responsibility, and the log says so.
 */
export const confirmCaseRoute = defineRoute({
  method: 'POST',
  url: '/marriage-verification/cases/:id/confirm',
  summary: '人工确认匹配（可指定男方、女方人员）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'marriage-verification.handle',
  action: 'marriage-verification.case.confirm',
  params: Id,
  body: Type.Object(
    { husbandPersonId: Type.Optional(Type.Integer({ minimum: 1 })), wifePersonId: Type.Optional(Type.Integer({ minimum: 1 })), note: Note },
    { additionalProperties: false },
  ),
  response: { 200: ConfirmResult },
  handler: async (ctx, { params, body }) => {
    const c = await repo.caseById(ctx.tx, params.id, true);
    if (!c) throw notFound();
    open(c);
    if (c.status === 'confirmed') throw conflict('该个案已人工确认');
    const pick = async (field: 'husbandPersonId' | 'wifePersonId', given: number | undefined, current: number | null): Promise<PartyMatch> => {
      const id = given ?? current;
      if (id == null) throw unprocessable(`${field === 'husbandPersonId' ? '男方' : '女方'}未匹配，请指定人员`, [{ field, message: '请指定人口库中的人员' }]);
      const person = await getPerson(ctx, id);
      if (!person) throw unprocessable('指定的人员不存在或不在您的数据权限范围内', [{ field, message: '人员不存在或不在数据权限范围内' }]);
      return { person, method: given !== undefined ? 'manual' : 'idNumber' };
    };
    const h = await pick('husbandPersonId', body.husbandPersonId, c.husband_person_id);
    const w = await pick('wifePersonId', body.wifePersonId, c.wife_person_id);
    if (h.person?.id === w.person?.id) throw unprocessable('男女双方不能是同一人', [{ field: 'wifePersonId', message: '男女双方不能是同一人' }]);
    const rec: MarriageRecord = {
      recordNo: c.record_no,
      kind: c.kind,
      registeredOn: c.registered_on,
      district: c.district_code,
      husband: { name: c.husband_name, idNumber: null, birthDate: c.husband_birth, hukou: c.husband_hukou },
      wife: { name: c.wife_name, idNumber: null, birthDate: c.wife_birth, hukou: c.wife_hukou },
    };
    const ctxc = { ...ctx, actor: ctx.principal.username };
    const audit = auditCase(rec, h, w, await auditFacts(ctxc, rec, h, w, c.id), todayInShanghai());
    const matchDetail = {
      ...c.match_detail,
      ...(body.husbandPersonId ? { husband: { method: 'manual', personId: body.husbandPersonId } } : {}),
      ...(body.wifePersonId ? { wife: { method: 'manual', personId: body.wifePersonId } } : {}),
    };
    await repo.updateCase(ctx.tx, c.id, {
      status: 'confirmed',
      note: body.note,
      handledBy: ctx.principal.username,
      husbandPersonId: h.person?.id,
      wifePersonId: w.person?.id,
      matchDetail,
    });
    const remaining = audit.findings.filter((f) => !f.ok).map((f) => f.message);
    // Same transaction as the confirmation: the library never holds a marriage whose case is not confirmed.
    const written = await writeBack(ctx, c, h.person?.id as number, w.person?.id as number);
    await repo.insertLog(ctx.tx, {
      caseId: c.id,
      recordNo: c.record_no,
      kind: 'manual',
      status: 'confirmed',
      detail: { note: body.note, from: c.status, remaining, writtenBack: written },
      actor: ctx.principal.username,
      district: c.district_code,
    });
    ctx.audit.write({
      action: 'marriage-verification.case.confirm',
      objectType: 'fp_mv_case',
      objectId: c.id,
      before: { status: c.status },
      after: { status: 'confirmed', husbandPersonId: h.person?.id, wifePersonId: w.person?.id },
      note: body.note.slice(0, 200),
    });
    return { id: c.id, status: 'confirmed', remaining, writtenBack: written };
  },
});

export const invalidateCaseRoute = defineRoute({
  method: 'POST',
  url: '/marriage-verification/cases/:id/invalidate',
  summary: '标记个案无效（须填写原因）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'marriage-verification.handle',
  action: 'marriage-verification.case.invalidate',
  params: Id,
  body: Type.Object({ note: Note }, { additionalProperties: false }),
  response: { 200: InvalidateResult },
  handler: async (ctx, { params, body }) => {
    const c = await repo.caseById(ctx.tx, params.id, true);
    if (!c) throw notFound();
    open(c);
    await repo.updateCase(ctx.tx, c.id, { status: 'invalid', note: body.note, handledBy: ctx.principal.username });
    const withdrawn = await withdraw(ctx, c);
    await repo.insertLog(ctx.tx, {
      caseId: c.id,
      recordNo: c.record_no,
      kind: 'manual',
      status: 'invalid',
      detail: { note: body.note, from: c.status, withdrawnMarriageId: withdrawn },
      actor: ctx.principal.username,
      district: c.district_code,
    });
    ctx.audit.write({
      action: 'marriage-verification.case.invalidate',
      objectType: 'fp_mv_case',
      objectId: c.id,
      before: { status: c.status },
      after: { status: 'invalid' },
      note: body.note.slice(0, 200),
    });
    return { id: c.id, status: 'invalid' };
  },
});

export const logRoute = defineRoute({
  method: 'GET',
  url: '/marriage-verification/logs',
  summary: '核对日志（匹配明细、审核状态、人工干预），按时间段和登记证字号查询',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'marriage-verification.read',
  querystring: Type.Object(
    {
      from: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '记录时间起（含）' })),
      to: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '记录时间止（含）' })),
      recordNo: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      kind: Type.Optional(enumOf(['match', 'audit', 'manual'] as const)),
      page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
      pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    },
    { additionalProperties: false },
  ),
  response: { 200: LogList },
  handler: async (ctx, { query }) => {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const rows = await ctx.tx.query<Record<string, unknown>>(
      `select id::int as id, case_id::int as case_id, record_no, kind, status, detail, actor, district_code, at, count(*) over ()::int as total from fp_mv_log
        where ($1::date is null or at >= ($1::date::timestamp at time zone 'Asia/Shanghai'))
          and ($2::date is null or at < (($2::date + 1)::timestamp at time zone 'Asia/Shanghai'))
          and ($3::text is null or record_no = $3) and ($4::text is null or kind = $4)
        order by id desc limit $5 offset $6`,
      [query.from ?? null, query.to ?? null, query.recordNo?.trim() ?? null, query.kind ?? null, pageSize, (page - 1) * pageSize],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        caseId: r.case_id,
        recordNo: r.record_no,
        kind: r.kind,
        status: r.status,
        detail: r.detail,
        actor: r.actor,
        districtCode: r.district_code,
        at: r.at,
      })),
      total: Number(rows[0]?.total ?? 0),
      page,
      pageSize,
    };
  },
});

export const statsRoute = defineRoute({
  method: 'GET',
  url: '/marriage-verification/stats',
  summary: '婚姻核对统计：匹配成功率、异常占比、人工干预占比（按区或月份）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'marriage-verification.read',
  querystring: Type.Object(
    {
      groupBy: Type.Optional(enumOf(['district', 'month'] as const)),
      from: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '登记日期起' })),
      to: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '登记日期止' })),
    },
    { additionalProperties: false },
  ),
  response: { 200: Stats },
  handler: async (ctx, { query }) => {
    const key = (query.groupBy ?? 'district') === 'district' ? 'district_code' : `to_char(registered_on, 'YYYY-MM')`;
    const rows = await ctx.tx.query<Record<string, string | number>>(
      `select ${key} as key, count(*)::int as total,
              count(*) filter (where status = 'matched')::int as matched,
              count(*) filter (where status = 'confirmed')::int as confirmed,
              count(*) filter (where status = 'exception')::int as exception,
              count(*) filter (where status = 'manual')::int as manual_pending,
              count(*) filter (where status = 'invalid')::int as invalid,
              count(*) filter (where manual)::int as manual,
              count(*) filter (where findings @> '[{"ok":false}]'::jsonb)::int as flagged
         from fp_mv_case where ($1::date is null or registered_on >= $1) and ($2::date is null or registered_on <= $2)
        group by 1 order by 1`,
      [query.from ?? null, query.to ?? null],
    );
    const shape = (r: Record<string, number | string>) => {
      const total = Number(r.total);
      const ratio = (n: number) => (total ? n / total : 0);
      return {
        key: String(r.key),
        total,
        matched: Number(r.matched),
        confirmed: Number(r.confirmed),
        exception: Number(r.exception),
        manualPending: Number(r.manual_pending),
        invalid: Number(r.invalid),
        manual: Number(r.manual),
        flagged: Number(r.flagged),
        // 匹配成功率: matched automatically or confirmed by a person; 异常占比: the audit flagged it (as exception or for manual matching).
        matchRate: ratio(Number(r.matched) + Number(r.confirmed)),
        exceptionShare: ratio(Number(r.flagged)),
        manualShare: ratio(Number(r.manual)),
      };
    };
    const items = rows.map(shape);
    const sum: Record<string, number | string> = { key: 'total' };
    for (const k of ['total', 'matched', 'confirmed', 'exception', 'manual_pending', 'invalid', 'manual', 'flagged'])
      sum[k] = rows.reduce((s, r) => s + Number(r[k]), 0);
    return { items, total: shape(sum) };
  },
});
