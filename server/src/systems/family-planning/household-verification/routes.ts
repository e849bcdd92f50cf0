import { Type } from '@sinclair/typebox';
import { unsourcedIndexMatch } from '../../../platform/crypto/index.ts';
import { notFound, unprocessable } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf } from '../../../platform/http/schema.ts';
import { StreetCode } from '../../common/master-data/schema.ts';
import { getRegion } from '../../common/master-data/service.ts';
import { normalizeIdNumber } from '../../common/resident-index/service.ts';
import { writeLog } from './pull.ts';
import { LogList, MappingSaved, OrgMap, Prefill, PullBatchList, RegistrationList, Stats } from './responses.ts';

const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', maxLength: 7, description: '月份 YYYY-MM' });
const Paging = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
};
const paged = (q: { page?: number; pageSize?: number }) => ({ page: q.page ?? 1, pageSize: q.pageSize ?? 20 });

const REG_COLS = `r.id::int as id, r.reg_no, r.child_name, r.sex, r.birth_date::text as birth_date, r.child_id_masked, r.police_code, r.police_name, r.mother_name, r.mother_id_masked,
  r.father_name, r.father_id_masked, r.registered_on::text as registered_on, r.map_method, r.distribution, r.distributed_at, r.newborn, r.match_status, r.differences,
  r.district_code, r.street_code, r.month, (select name from region g where g.code = r.street_code) as street_name`;
const regView = (r: Record<string, unknown>) => ({
  id: r.id,
  regNo: r.reg_no,
  childName: r.child_name,
  sex: r.sex,
  birthDate: r.birth_date,
  childIdMasked: r.child_id_masked,
  policeCode: r.police_code,
  policeName: r.police_name,
  motherName: r.mother_name,
  motherIdMasked: r.mother_id_masked,
  fatherName: r.father_name,
  fatherIdMasked: r.father_id_masked,
  registeredOn: r.registered_on,
  mapMethod: r.map_method,
  distribution: r.distribution,
  distributedAt: r.distributed_at,
  newborn: r.newborn,
  matchStatus: r.match_status,
  differences: r.differences,
  districtCode: r.district_code,
  streetCode: r.street_code,
  streetName: r.street_name,
});

export const listRegistrationsRoute = defineRoute({
  method: 'GET',
  url: '/household-verification/registrations',
  summary: '公安报出生户口登记（本街道 / 本区；按拉取月份、街道、分发与比对状态）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'household-verification.read',
  querystring: Type.Object(
    {
      month: Type.Optional(Month),
      street: Type.Optional(StreetCode),
      distribution: Type.Optional(enumOf(['distributed', 'unmapped'] as const)),
      matchStatus: Type.Optional(enumOf(['matched', 'mismatch', 'missing'] as const)),
      childIdNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '\\S', description: '新生儿身份证号（按盲索引匹配）' })),
      ...Paging,
    },
    { additionalProperties: false },
  ),
  response: { 200: RegistrationList },
  handler: async (ctx, { query }) => {
    const { page, pageSize } = paged(query);
    const id = query.childIdNumber ? unsourcedIndexMatch(ctx.kernel.keys, normalizeIdNumber(query.childIdNumber), 'person.id_number') : null;
    const rows = await ctx.tx.query<Record<string, unknown>>(
      `select ${REG_COLS}, count(*) over ()::int as total from fp_hv_registration r
        where ($1::text is null or r.month = $1) and ($2::text is null or r.street_code = $2)
          and ($3::text is null or r.distribution = $3) and ($4::text is null or r.match_status = $4)
          -- Each row keeps the blind-index key it was made under (child_id_bi_key): the index must be the value's under that key.
          and ($7::text[] is null or (r.child_id_bi = any($7) and r.child_id_bi_key || '.' || r.child_id_bi = any($8::text[])))
        order by r.birth_date desc, r.id desc limit $5 offset $6`,
      [
        query.month ?? null,
        query.street ?? null,
        query.distribution ?? null,
        query.matchStatus ?? null,
        pageSize,
        (page - 1) * pageSize,
        id?.indexes ?? null,
        id?.pairs ?? null,
      ],
    );
    const total = rows[0]?.total ?? 0;
    ctx.audit.read({
      action: 'household-verification.registration.list',
      objectType: 'fp_hv_registration',
      objectId: null,
      note: id ? `按身份证号查询：${total}` : `${total}`,
    });
    return { items: rows.map(regView), total: Number(rows[0]?.total ?? 0), page, pageSize };
  },
});

/**
 * 新建个案预填: what a street worker starting a case for a newborn gets from the 公安 registration and
 * the newborn population library, looked up by 出生登记号 — and where the two disagree.
 */
export const prefillRoute = defineRoute({
  method: 'GET',
  url: '/household-verification/prefill',
  summary: '按出生登记号预填新建个案（公安登记与新生儿人口库比对，列出差异）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'household-verification.read',
  querystring: Type.Object({ regNo: Type.String({ minLength: 1, maxLength: 40, pattern: '\\S', description: '出生登记号' }) }, { additionalProperties: false }),
  response: { 200: Prefill },
  handler: async (ctx, { query }) => {
    const [r] = await ctx.tx.query<Record<string, unknown>>(`select ${REG_COLS} from fp_hv_registration r where r.reg_no = $1`, [query.regNo.trim()]);
    if (!r) throw notFound('未找到该出生登记号，或不在您的数据权限范围内');
    ctx.audit.read({ action: 'household-verification.prefill', objectType: 'fp_hv_registration', objectId: Number(r.id) });
    const v = regView(r);
    const nb = r.newborn as { name: string; sex: string; birthDate: string | null; certificateNo: string | null } | null;
    return {
      prefill: {
        regNo: v.regNo,
        childName: v.childName,
        sex: v.sex,
        birthDate: v.birthDate,
        childIdMasked: v.childIdMasked,
        certificateNo: nb?.certificateNo ?? null,
        motherName: v.motherName,
        motherIdMasked: v.motherIdMasked,
        fatherName: v.fatherName,
        fatherIdMasked: v.fatherIdMasked,
        streetCode: v.streetCode,
        streetName: v.streetName,
      },
      sources: { police: { name: v.childName, sex: v.sex, birthDate: v.birthDate }, newborn: nb },
      matchStatus: v.matchStatus,
      differences: v.differences,
    };
  },
});

export const listMappingsRoute = defineRoute({
  method: 'GET',
  url: '/household-verification/org-map',
  summary: '公安机关代码与街道对照表，及待映射的代码',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'household-verification.read',
  response: { 200: OrgMap },
  handler: async (ctx) => {
    const mappings = await ctx.tx.query<Record<string, unknown>>(
      `select m.police_code, m.police_name, m.street_code, m.district_code, m.method, m.updated_by, m.updated_at, g.name as street_name
         from fp_hv_org_map m left join region g on g.code = m.street_code order by m.police_code`,
    );
    const unmapped = await ctx.tx.query<Record<string, unknown>>(
      `select police_code, min(police_name) as police_name, count(*)::int as registrations from fp_hv_registration where distribution = 'unmapped' group by 1 order by 1`,
    );
    return {
      mappings: mappings.map((m) => ({
        policeCode: m.police_code,
        policeName: m.police_name,
        streetCode: m.street_code,
        streetName: m.street_name,
        districtCode: m.district_code,
        method: m.method,
        updatedBy: m.updated_by,
        updatedAt: m.updated_at,
      })),
      unmapped: unmapped.map((u) => ({ policeCode: u.police_code, policeName: u.police_name, registrations: u.registrations })),
    };
  },
});

/**
 * 人工映射: maps a 公安 code to a street (or changes it). Registrations of that code still waiting are
 * distributed at once, in the same transaction; the log records both.
 */
export const putMappingRoute = defineRoute({
  method: 'PUT',
  url: '/household-verification/org-map/:policeCode',
  summary: '维护公安机关代码与街道的人工映射（并分发待映射的登记）',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'household-verification.map',
  action: 'household-verification.mapping.put',
  params: Type.Object({ policeCode: Type.String({ pattern: '^31\\d{10}$', maxLength: 12, description: '12 位公安机关代码', examples: ['310101000000'] }) }),
  body: Type.Object({ streetCode: StreetCode, policeName: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })) }, { additionalProperties: false }),
  response: { 200: MappingSaved },
  handler: async (ctx, { params, body }) => {
    const street = await getRegion(ctx, body.streetCode);
    if (!street || street.level !== 'street') throw unprocessable('街道代码不存在', [{ field: 'streetCode', message: '街道代码不存在' }]);
    const district = street.districtCode ?? street.code.slice(0, 6);
    const p = ctx.principal.scope;
    if (p.level !== 'city' && !(p.level === 'district' && p.districtCode === district))
      throw unprocessable('只能映射到本区的街道', [{ field: 'streetCode', message: '只能映射到本区的街道' }]);
    const [before] = await ctx.tx.query<{ street_code: string; district_code: string }>(
      'select street_code, district_code from fp_hv_org_map where police_code = $1',
      [params.policeCode],
    );
    if (before && p.level !== 'city' && before.district_code !== p.districtCode)
      throw unprocessable('该代码已映射到其他区的街道，请联系市级管理员', [{ field: 'policeCode', message: '已映射到其他区' }]);
    const [name] = await ctx.tx.query<{ n: string }>('select min(police_name) as n from fp_hv_registration where police_code = $1', [params.policeCode]);
    const policeName = body.policeName ?? name?.n ?? params.policeCode;
    await ctx.tx.query(
      `insert into fp_hv_org_map (police_code, police_name, street_code, district_code, method, updated_by) values ($1, $2, $3, $4, 'manual', $5)
       on conflict (police_code) do update set police_name = excluded.police_name, street_code = excluded.street_code, district_code = excluded.district_code, method = 'manual', updated_by = excluded.updated_by, updated_at = now()`,
      [params.policeCode, policeName, street.code, district, ctx.principal.username],
    );
    const moved = await ctx.tx.query<{ id: number; reg_no: string }>(
      `update fp_hv_registration set distribution = 'distributed', distributed_at = now(), map_method = 'manual', street_code = $2, district_code = $3
        where police_code = $1 and distribution = 'unmapped' returning id::int as id, reg_no`,
      [params.policeCode, street.code, district],
    );
    await writeLog(ctx.tx, {
      kind: 'mapping',
      status: 'manual',
      message: `公安机关代码 ${params.policeCode}（${policeName}）映射至 ${street.name}（${street.code}），分发待映射登记 ${moved.length} 条`,
      actor: ctx.principal.username,
      district,
      street: street.code,
    });
    for (const m of moved)
      await writeLog(ctx.tx, {
        registrationId: m.id,
        regNo: m.reg_no,
        kind: 'distribute',
        status: 'distributed',
        message: `按人工映射分发至街道 ${street.code}`,
        actor: ctx.principal.username,
        district,
        street: street.code,
      });
    ctx.audit.write({
      action: 'household-verification.mapping.put',
      objectType: 'fp_hv_org_map',
      objectId: params.policeCode,
      before: before ?? null,
      after: { streetCode: street.code, distributed: moved.length },
    });
    return { policeCode: params.policeCode, streetCode: street.code, distributed: moved.length };
  },
});

export const logRoute = defineRoute({
  method: 'GET',
  url: '/household-verification/logs',
  summary: '处理日志（拉取、分发、比对、异常），按时间段和街道查询',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'household-verification.read',
  querystring: Type.Object(
    {
      from: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '时间起（含）' })),
      to: Type.Optional(Type.String({ format: 'date', maxLength: 10, description: '时间止（含）' })),
      street: Type.Optional(StreetCode),
      kind: Type.Optional(enumOf(['pull', 'distribute', 'match', 'exception', 'mapping', 'death'] as const)),
      ...Paging,
    },
    { additionalProperties: false },
  ),
  response: { 200: LogList },
  handler: async (ctx, { query }) => {
    const { page, pageSize } = paged(query);
    const rows = await ctx.tx.query<Record<string, unknown>>(
      `select id::int as id, batch_id::int as batch_id, reg_no, kind, status, message, actor, district_code, street_code, at, count(*) over ()::int as total from fp_hv_log
        where ($1::date is null or at >= ($1::date::timestamp at time zone 'Asia/Shanghai'))
          and ($2::date is null or at < (($2::date + 1)::timestamp at time zone 'Asia/Shanghai'))
          and ($3::text is null or street_code = $3) and ($4::text is null or kind = $4)
        order by id desc limit $5 offset $6`,
      [query.from ?? null, query.to ?? null, query.street ?? null, query.kind ?? null, pageSize, (page - 1) * pageSize],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        batchId: r.batch_id,
        regNo: r.reg_no,
        kind: r.kind,
        status: r.status,
        message: r.message,
        actor: r.actor,
        districtCode: r.district_code,
        streetCode: r.street_code,
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
  url: '/household-verification/stats',
  summary: '按街道统计：登记数、匹配率、分发状态、异常数',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'household-verification.read',
  querystring: Type.Object({ month: Type.Optional(Month) }, { additionalProperties: false }),
  response: { 200: Stats },
  handler: async (ctx, { query }) => {
    const rows = await ctx.tx.query<Record<string, unknown>>(
      `select coalesce(r.street_code, '') as street, min(r.district_code) as district, (select name from region g where g.code = r.street_code) as name,
              count(*)::int as total, count(*) filter (where distribution = 'distributed')::int as distributed, count(*) filter (where distribution = 'unmapped')::int as unmapped,
              count(*) filter (where match_status = 'matched')::int as matched, count(*) filter (where match_status = 'mismatch')::int as mismatched, count(*) filter (where match_status = 'missing')::int as missing
         from fp_hv_registration r where ($1::text is null or r.month = $1) group by r.street_code order by 1`,
      [query.month ?? null],
    );
    const items = rows.map((r) => ({
      streetCode: r.street || null,
      streetName: r.name ?? (r.street ? r.street : '未映射'),
      districtCode: r.district,
      total: r.total,
      distributed: r.distributed,
      unmapped: r.unmapped,
      matched: r.matched,
      mismatched: r.mismatched,
      missing: r.missing,
      matchRate: Number(r.total) ? Number(r.matched) / Number(r.total) : 0,
    }));
    const sum = (k: 'total' | 'distributed' | 'unmapped' | 'matched' | 'mismatched' | 'missing') => items.reduce((s, i) => s + Number(i[k]), 0);
    const total = sum('total');
    return {
      items,
      total: {
        total,
        distributed: sum('distributed'),
        unmapped: sum('unmapped'),
        matched: sum('matched'),
        mismatched: sum('mismatched'),
        missing: sum('missing'),
        matchRate: total ? sum('matched') / total : 0,
      },
    };
  },
});

export const listPullsRoute = defineRoute({
  method: 'GET',
  url: '/household-verification/pull-runs',
  summary: '公安报出生户口数据拉取批次',
  tags: ['计划生育'],
  auth: 'staff',
  permission: 'household-verification.read',
  querystring: Type.Object({ ...Paging }, { additionalProperties: false }),
  response: { 200: PullBatchList },
  handler: async (ctx, { query }) => {
    const { page, pageSize } = paged(query);
    const rows = await ctx.tx.query<Record<string, unknown>>(
      `select id::int as id, month, status, fetched, created, duplicates, distributed, unmapped, matched, mismatched, missing, rejected, deaths, deaths_recorded, error, requested_by, finished_at, count(*) over ()::int as total
         from fp_hv_batch order by id desc limit $1 offset $2`,
      [pageSize, (page - 1) * pageSize],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        month: r.month,
        status: r.status,
        fetched: r.fetched,
        created: r.created,
        duplicates: r.duplicates,
        distributed: r.distributed,
        unmapped: r.unmapped,
        matched: r.matched,
        mismatched: r.mismatched,
        missing: r.missing,
        rejected: r.rejected,
        deaths: r.deaths,
        deathsRecorded: r.deaths_recorded,
        error: r.error,
        requestedBy: r.requested_by,
        finishedAt: r.finished_at,
      })),
      total: Number(rows[0]?.total ?? 0),
      page,
      pageSize,
    };
  },
});
