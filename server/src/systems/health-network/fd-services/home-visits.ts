import { Type } from '@sinclair/typebox';
import { fieldError, notFound, unprocessable } from '../../../platform/http/errors.ts';
import { one, sql, where } from '../../../platform/db/index.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, Id, pageOf, Paging } from '../../../platform/http/schema.ts';
import { getPeople, getPerson } from '../../common/resident-index/service.ts';
import { shanghaiToday } from '../family-doctor/rules.ts';
import { activeContract } from './contract-summary.ts';
import { VisitPage, VisitRecorded } from './responses.ts';

/** 上门访视, recorded by form, for a resident with a valid (green or yellow) contract. */
export const VISIT_FORMS = ['integrated_care', 'clinic', 'follow_up', 'home_bed', 'ltc_delegated', 'other'] as const;
export const VISIT_FORM_NAMES: Record<(typeof VISIT_FORMS)[number], string> = {
  integrated_care: '医养结合',
  clinic: '诊间',
  follow_up: '随访',
  home_bed: '家庭病床',
  ltc_delegated: '委托长护险护理员与评估员',
  other: '其他',
};

export const VisitBody = Type.Object(
  {
    personId: Id,
    form: enumOf(VISIT_FORMS),
    visitDate: Type.String({ format: 'date', maxLength: 10 }),
    summary: Type.String({ minLength: 1, maxLength: 1000 }),
    nextVisitDate: Type.Optional(Type.String({ format: 'date', maxLength: 10 })),
  },
  { additionalProperties: false },
);

interface VisitRow {
  id: number;
  person_id: number;
  contract_id: number;
  form: (typeof VISIT_FORMS)[number];
  visit_date: string;
  summary: string;
  next_visit_date: string | null;
  recorded_by: string;
  created_at: Date | string;
}

export const recordVisitRoute = defineRoute({
  method: 'POST',
  url: '/fd-services/home-visits',
  summary: '登记上门访视（医养结合、诊间、随访、家庭病床、委托长护险护理员与评估员、其他）',
  auth: 'staff',
  permission: 'fd-services.manage',
  body: VisitBody,
  successStatus: 201,
  response: { 201: VisitRecorded },
  handler: async (ctx, { body }) => {
    const p = await getPerson(ctx, body.personId);
    if (!p) throw notFound('居民不存在或不在您的数据权限范围内');
    const c = await activeContract(ctx, p.id);
    if (!c || c.colour === 'red') throw unprocessable('上门访视仅登记有效签约（绿色或黄色）居民', [{ field: 'personId', message: '该居民无有效签约' }]);
    const today = shanghaiToday();
    if (body.visitDate > today) throw fieldError('visitDate', '访视日期不能晚于今天');
    if (body.nextVisitDate && body.nextVisitDate <= body.visitDate) throw fieldError('nextVisitDate', '下次访视日期须晚于本次访视日期');
    const row = await one<VisitRow>(
      ctx.tx,
      sql`insert into fds_home_visit (person_id, contract_id, form, visit_date, summary, next_visit_date, recorded_by, district_code, street_code, institution_id, team_id, doctor_id)
       values (${p.id}, ${c.row.id}, ${body.form}, ${body.visitDate}, ${body.summary}, ${body.nextVisitDate ?? null}, ${ctx.principal.displayName || ctx.principal.username},
         ${c.row.district_code}, ${c.row.street_code}, ${c.row.institution_id}, ${c.row.team_id}, ${c.row.doctor_id}) returning *`,
    );
    ctx.audit.write({
      action: 'fd-services.home-visit.record',
      objectType: 'fds_home_visit',
      objectId: row.id,
      after: { personId: p.id, form: body.form, visitDate: body.visitDate },
    });
    return { id: row.id, personId: p.id, form: row.form, formName: VISIT_FORM_NAMES[row.form], visitDate: row.visit_date, contractId: c.row.id };
  },
});

export const listVisitsRoute = defineRoute({
  method: 'GET',
  url: '/fd-services/home-visits',
  summary: '上门访视记录',
  auth: 'staff',
  permission: 'fd-services.read',
  querystring: Type.Object({ personId: Type.Optional(Id), form: Type.Optional(enumOf(VISIT_FORMS)), ...Paging }, { additionalProperties: false }),
  response: { 200: VisitPage },
  handler: async (ctx, { query }) => {
    const w = where([query.personId && sql`person_id = ${query.personId}`, query.form && sql`form = ${query.form}`]);
    const { limit, offset } = pageOf(query);
    const c = await one<{ n: number }>(ctx.tx, sql`select count(*)::int as n from fds_home_visit ${w}`);
    const rows = await ctx.tx.query<VisitRow>(sql`select * from fds_home_visit ${w} order by visit_date desc, id desc limit ${limit} offset ${offset}`);
    const people = await getPeople(
      ctx,
      rows.map((r) => r.person_id),
    );
    if (rows.length) ctx.audit.read({ action: 'fd-services.home-visit.list', objectType: 'fds_home_visit', note: `查看上门访视 ${rows.length} 条` });
    return {
      total: c.n,
      items: rows.map((r) => ({
        id: r.id,
        personId: r.person_id,
        personName: people.get(r.person_id)?.name ?? null,
        form: r.form,
        formName: VISIT_FORM_NAMES[r.form],
        visitDate: r.visit_date,
        summary: r.summary,
        nextVisitDate: r.next_visit_date,
        recordedBy: r.recorded_by,
      })),
    };
  },
});
