import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { conflict, fieldError, notFound, unprocessable } from '../../../platform/http/errors.ts';
import { one, sql, where } from '../../../platform/db/index.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { enumOf, Id, IdParams, pageOf, Paging } from '../../../platform/http/schema.ts';
import { findChcForStreet, getInstitution } from '../../common/master-data/service.ts';
import { getPeople, getPerson, type PersonView } from '../../common/resident-index/service.ts';
import { previewRenewal } from '../family-doctor/renew.ts';
import { addDays, shanghaiToday } from '../family-doctor/rules.ts';
import { reportLinks } from '../health-assessment/service.ts';
import { activeContract, type ActiveContract, signUrl } from './contract-summary.ts';
import { BookingMade, BookingPage, BookingStatusChanged, ExamPlan } from './responses.ts';

/**
 * 老年人健康服务 — 体检预约. Residents aged 65 or more book a physical exam at a community health service
 * centre: the contracted centre is recommended first, then the centre of the residence street. What
 * happens depends on the contract:
 * - 未签约 → guided to sign first (booking refused until signed);
 * - 绿 → book;
 * - 黄 → renew first, or book and be prompted to renew afterwards (flexible renewal offered where the
 *   uploaded reports qualify: health-assessment/service.reportLinks feeds the renewal preview);
 * - 红 → sign anew (booking refused).
 */
export const ELDERLY_AGE = 65;
export const BOOK_AHEAD_DAYS = 90;

type Ctx = ServiceContext;
type Step = 'not_eligible' | 'sign_first' | 'book' | 'renew_or_book' | 'sign_anew';

const GUIDANCE: Record<Step, string> = {
  not_eligible: `老年人体检预约面向 ${ELDERLY_AGE} 岁及以上居民`,
  sign_first: '该居民尚未签约家庭医生，请先引导签约，签约后即可预约体检',
  book: '签约有效（绿色），可直接预约体检',
  renew_or_book: '签约处于待续约期（黄色）：可先续约，或预约体检后提示续约；符合条件的可弹性续约',
  sign_anew: '签约已过期（红色），请先重新签约后再预约体检',
};

function stepOf(age: number, c: ActiveContract | null): Step {
  if (age < ELDERLY_AGE) return 'not_eligible';
  if (!c) return 'sign_first';
  if (c.colour === 'green') return 'book';
  if (c.colour === 'yellow') return 'renew_or_book';
  return 'sign_anew';
}

async function personOr404(ctx: Ctx, id: number): Promise<PersonView> {
  const p = await getPerson(ctx, id);
  if (!p) throw notFound('居民不存在或不在您的数据权限范围内');
  return p;
}

export async function examPlan(ctx: Ctx, personId: number): Promise<ExamPlan> {
  const p = await personOr404(ctx, personId);
  const c = await activeContract(ctx, p.id);
  const step = stepOf(p.age, c);
  const communities: ExamPlan['communities'] = [];
  if (c && c.colour !== 'red')
    communities.push({
      institutionId: c.row.institution_id,
      name: (await getInstitution(ctx, c.row.institution_id))?.name ?? null,
      reason: '签约社区（推荐）',
    });
  const home = p.residenceStreet ? await findChcForStreet(ctx, p.residenceStreet) : null;
  if (home && !communities.some((x) => x.institutionId === home))
    communities.push({ institutionId: home, name: (await getInstitution(ctx, home))?.name ?? null, reason: '居住地社区' });
  const reports = await reportLinks(ctx, p.id);
  const renewal =
    step === 'renew_or_book' && c
      ? await previewRenewal(ctx, c.row.id, {
          withHealthAssessment: !!reports.healthAssessment || !!c.row.health_assessment_url,
          withPhysicalExam: !!reports.physicalExam || !!c.row.physical_exam_url,
        })
      : null;
  ctx.audit.read({ action: 'fd-services.elderly.plan', objectType: 'person', objectId: p.id, note: '老年人体检预约：查看签约状态和报告' });
  return {
    personId: p.id,
    name: p.name,
    age: p.age,
    eligible: p.age >= ELDERLY_AGE,
    colour: c?.colour ?? null,
    contractId: c?.row.id ?? null,
    step,
    guidance: GUIDANCE[step],
    signUrl: step === 'sign_first' || step === 'sign_anew' ? signUrl() : null,
    communities,
    reports,
    renewal,
  };
}

export const BookingBody = Type.Object(
  { personId: Id, institutionId: Id, examDate: Type.String({ format: 'date', maxLength: 10 }) },
  { additionalProperties: false },
);

interface BookingRow {
  id: number;
  person_id: number;
  institution_id: number;
  exam_date: string;
  status: 'booked' | 'done' | 'cancelled' | 'no_show';
  colour_at_booking: 'green' | 'yellow' | null;
  renewal_prompted: boolean;
  contract_id: number | null;
  booked_by: string;
  created_at: Date | string;
}

export async function book(ctx: Ctx, b: typeof BookingBody.static) {
  const p = await personOr404(ctx, b.personId);
  if (p.status === 'dead') throw unprocessable('该居民已死亡，不能预约体检', [{ field: 'personId', message: '该居民已死亡' }]);
  const c = await activeContract(ctx, p.id);
  const step = stepOf(p.age, c);
  if (step === 'not_eligible' || step === 'sign_first' || step === 'sign_anew')
    throw unprocessable(GUIDANCE[step], [{ field: 'personId', message: GUIDANCE[step] }]);
  const today = shanghaiToday();
  if (b.examDate < today || b.examDate > addDays(today, BOOK_AHEAD_DAYS)) throw fieldError('examDate', `体检日期须在今天至 ${BOOK_AHEAD_DAYS} 天内`);
  const inst = await getInstitution(ctx, b.institutionId);
  if (!(inst?.kind === 'chc' && inst.active)) throw fieldError('institutionId', '体检机构须为在用的社区卫生服务中心');
  const contract = (c as ActiveContract).row;
  const open = await ctx.tx.query<{ id: number }>(`select id from fds_exam_booking where person_id = $1 and status = 'booked'`, [p.id]);
  if (open.length) throw conflict('该居民已有待体检的预约，请先完成或取消');
  const renewalPrompted = step === 'renew_or_book';
  const row = await one<BookingRow>(
    ctx.tx,
    sql`insert into fds_exam_booking (person_id, institution_id, exam_date, colour_at_booking, renewal_prompted, contract_id, booked_by, district_code, street_code, contract_institution_id, team_id, doctor_id)
     values (${p.id}, ${inst.id}, ${b.examDate}, ${(c as ActiveContract).colour}, ${renewalPrompted}, ${contract.id}, ${ctx.principal.displayName || ctx.principal.username},
       ${p.residenceDistrict}, ${p.residenceStreet}, ${contract.institution_id}, ${contract.team_id}, ${contract.doctor_id}) returning *`,
  );
  ctx.audit.write({
    action: 'fd-services.elderly.book',
    objectType: 'fds_exam_booking',
    objectId: row.id,
    after: { personId: p.id, institutionId: inst.id, examDate: b.examDate, renewalPrompted },
  });
  const plan = renewalPrompted ? await examPlan(ctx, p.id) : null;
  return {
    id: row.id,
    personId: p.id,
    institutionId: inst.id,
    institutionName: inst.name,
    examDate: row.exam_date,
    status: row.status,
    renewalPrompt: plan?.renewal
      ? { message: '该居民签约处于待续约期，请在体检后办理续约', years: plan.renewal.years, reason: plan.renewal.reason, contractId: contract.id }
      : null,
  };
}

export const examPlanRoute = defineRoute({
  method: 'GET',
  url: '/fd-services/elderly/:id/exam-plan',
  summary: '老年人体检预约：按签约状态给出办理路径、推荐社区和弹性续约选项',
  auth: 'staff',
  permission: 'fd-services.read',
  params: IdParams,
  response: { 200: ExamPlan },
  handler: (ctx, { params }) => examPlan(ctx, params.id),
});

export const bookRoute = defineRoute({
  method: 'POST',
  url: '/fd-services/elderly/bookings',
  summary: '预约老年人体检（65 岁及以上；未签约/红色须先签约）',
  auth: 'staff',
  permission: 'fd-services.manage',
  body: BookingBody,
  successStatus: 201,
  response: { 201: BookingMade },
  handler: (ctx, { body }) => book(ctx, body),
});

const STATUS_NAMES = { booked: '已预约', done: '已体检', cancelled: '已取消', no_show: '未到检' } as const;

export const bookingsRoute = defineRoute({
  method: 'GET',
  url: '/fd-services/elderly/bookings',
  summary: '老年人体检预约列表',
  auth: 'staff',
  permission: 'fd-services.read',
  querystring: Type.Object({ status: Type.Optional(enumOf(['booked', 'done', 'cancelled', 'no_show'] as const)), ...Paging }, { additionalProperties: false }),
  response: { 200: BookingPage },
  handler: async (ctx, { query }) => {
    const { limit, offset } = pageOf(query);
    const w = where([query.status && sql`status = ${query.status}`]);
    const c = await one<{ n: number }>(ctx.tx, sql`select count(*)::int as n from fds_exam_booking ${w}`);
    const rows = await ctx.tx.query<BookingRow>(sql`select * from fds_exam_booking ${w} order by exam_date desc, id desc limit ${limit} offset ${offset}`);
    const people = await getPeople(
      ctx,
      rows.map((r) => r.person_id),
    );
    const inst = new Map<number, string | null>();
    for (const id of new Set(rows.map((r) => r.institution_id))) inst.set(id, (await getInstitution(ctx, id))?.name ?? null);
    return {
      total: c.n,
      items: rows.map((r) => ({
        id: r.id,
        personId: r.person_id,
        personName: people.get(r.person_id)?.name ?? null,
        age: people.get(r.person_id)?.age ?? null,
        institutionName: inst.get(r.institution_id) ?? null,
        examDate: r.exam_date,
        status: r.status,
        statusName: STATUS_NAMES[r.status],
        colourAtBooking: r.colour_at_booking,
        renewalPrompted: r.renewal_prompted,
        bookedBy: r.booked_by,
      })),
    };
  },
});

export const bookingStatusRoute = defineRoute({
  method: 'POST',
  url: '/fd-services/elderly/bookings/:id/status',
  summary: '登记体检结果（已体检 / 取消 / 未到检）',
  auth: 'staff',
  permission: 'fd-services.manage',
  params: IdParams,
  body: Type.Object({ status: enumOf(['done', 'cancelled', 'no_show'] as const) }, { additionalProperties: false }),
  response: { 200: BookingStatusChanged },
  handler: async (ctx, { params, body }) => {
    const [r] = await ctx.tx.query<BookingRow>(`update fds_exam_booking set status = $2, updated_at = now() where id = $1 and status = 'booked' returning *`, [
      params.id,
      body.status,
    ]);
    if (!r) {
      const [exists] = await ctx.tx.query<{ id: number }>('select id from fds_exam_booking where id = $1', [params.id]);
      if (!exists) throw notFound('预约不存在或不在您的数据权限范围内');
      throw conflict('该预约已办结，不能再次变更');
    }
    ctx.audit.write({
      action: 'fd-services.elderly.booking-status',
      objectType: 'fds_exam_booking',
      objectId: r.id,
      before: { status: 'booked' },
      after: { status: r.status },
    });
    return { id: r.id, status: r.status, statusName: STATUS_NAMES[r.status] };
  },
});
