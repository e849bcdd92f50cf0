import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import { conflict, fieldError, notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { one, sql, where } from '../../../platform/db/index.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { notifyRoles } from '../../../platform/notifications/index.ts';
import { enumOf, Id, IdParams, pageOf, Paging } from '../../../platform/http/schema.ts';
import { getInstitution } from '../../common/master-data/service.ts';
import { findPersonByIdNumber, getPeople, type PersonView } from '../../common/resident-index/service.ts';
import { activeContract } from './contract-summary.ts';
import { InpatientRecorded, Reminder, ReminderPage } from './responses.ts';

/**
 * 住院提醒: a hospital reports an admission or a discharge; when the resident has an active contract the
 * contracted family doctor gets a reminder (in-app notification + a task in the reminders list) with
 * links to the stay's reports. The same (hospital, 住院号, kind) again changes nothing (idempotent).
 */
export const KINDS = ['admission', 'discharge'] as const;
export const KIND_NAMES = { admission: '入院', discharge: '出院' } as const;

export const Report = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 100 }), url: Type.String({ format: 'uri', maxLength: 500 }) },
  { additionalProperties: false },
);

export const InpatientBody = Type.Object(
  {
    idNumber: Type.String({ minLength: 18, maxLength: 18, pattern: '^[0-9]{17}[0-9Xx]$' }),
    name: Type.String({ minLength: 1, maxLength: 50 }),
    hospitalId: Id,
    stayNo: Type.String({ minLength: 1, maxLength: 40, description: '住院号' }),
    kind: enumOf(KINDS),
    at: Type.String({ format: 'date-time', maxLength: 40 }),
    department: Type.Optional(Type.String({ maxLength: 50 })),
    diagnosis: Type.Optional(Type.String({ maxLength: 200 })),
    reports: Type.Optional(Type.Array(Report, { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type InpatientInput = typeof InpatientBody.static;

export interface EventRow {
  id: number;
  kind: 'admission' | 'discharge';
  person_id: number;
  hospital_id: number;
  stay_no: string;
  event_at: Date | string;
  department: string | null;
  diagnosis: string | null;
  reports: { title: string; url: string }[] | string;
  source: string;
  reported_by: string;
  contract_id: number | null;
  status: 'open' | 'handled' | 'no_contract';
  handled_by: string | null;
  handled_at: Date | string | null;
  handling_note: string | null;
  doctor_id: number | null;
  created_at: Date | string;
}

type Ctx = ServiceContext;

export const reminderLink = (id: number) => `/health-network/fd-services/reminders?event=${id}`;

/** Records one event for a known person; the reminder goes to the contracted doctor (if any). */
export async function recordInpatientEvent(
  ctx: Pick<Ctx, 'tx' | 'audit'>,
  person: PersonView,
  b: Omit<InpatientInput, 'idNumber' | 'name'>,
  source: 'partner' | 'world' | 'staff',
  reportedBy: string,
) {
  const hospital = await getInstitution(ctx, b.hospitalId);
  if (!hospital) throw fieldError('hospitalId', '医院不存在');
  const c = await activeContract(ctx, person.id);
  const contracted = c && c.colour !== 'red' ? c.row : null;
  const inserted = await ctx.tx.query<EventRow>(
    `insert into fds_inpatient_event (kind, person_id, hospital_id, stay_no, event_at, department, diagnosis, reports, source, reported_by, contract_id, status,
       district_code, street_code, institution_id, team_id, doctor_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     on conflict (hospital_id, stay_no, kind) do nothing returning *`,
    [
      b.kind,
      person.id,
      b.hospitalId,
      b.stayNo,
      b.at,
      b.department ?? null,
      b.diagnosis ?? null,
      JSON.stringify(b.reports ?? []),
      source,
      reportedBy,
      contracted?.id ?? null,
      contracted ? 'open' : 'no_contract',
      person.residenceDistrict,
      person.residenceStreet,
      contracted?.institution_id ?? person.managingInstitutionId,
      contracted?.team_id ?? null,
      contracted?.doctor_id ?? null,
    ],
  );
  const e = inserted[0];
  if (!e) {
    const [old] = await ctx.tx.query<EventRow>('select * from fds_inpatient_event where hospital_id = $1 and stay_no = $2 and kind = $3', [
      b.hospitalId,
      b.stayNo,
      b.kind,
    ]);
    if (!old || old.person_id !== person.id) throw conflict('该住院号已登记为其他居民');
    return { id: old.id, duplicate: true, reminded: old.status !== 'no_contract', notified: 0 };
  }
  let notified = 0;
  if (contracted) {
    notified = await notifyRoles(
      ctx.tx,
      ['family_doctor', 'doctor_assistant'],
      {
        district: contracted.district_code,
        street: contracted.street_code,
        institutionId: contracted.institution_id,
        teamId: contracted.team_id,
        practitionerId: contracted.doctor_id,
      },
      {
        kind: `fd.inpatient-${b.kind}`,
        title: `签约居民${person.name}${KIND_NAMES[b.kind]}：${hospital.name}`,
        body: `${b.department ?? ''}${b.diagnosis ? ` ${b.diagnosis}` : ''} 住院号 ${b.stayNo}，报告 ${(b.reports ?? []).length} 份`.trim(),
        link: reminderLink(e.id),
        key: `fd-inpatient:${e.id}`,
      },
    );
  }
  ctx.audit.write({
    action: 'fd-services.inpatient.record',
    objectType: 'fds_inpatient_event',
    objectId: e.id,
    districtCode: person.residenceDistrict,
    after: { kind: b.kind, personId: person.id, hospitalId: b.hospitalId, contractId: contracted?.id ?? null, notified },
  });
  return { id: e.id, duplicate: false, reminded: !!contracted, notified };
}

export const partnerInpatientRoute = defineRoute({
  method: 'POST',
  url: '/partner/fd-services/inpatient-events',
  summary: '入院/出院事件（医院等合作系统推送），生成家庭医生住院提醒',
  tags: ['合作系统接入'],
  auth: 'partner',
  permission: 'fd-services.inpatient.report',
  body: InpatientBody,
  successStatus: 201,
  response: { 201: InpatientRecorded },
  handler: async (ctx, { body }) => {
    const person = await findPersonByIdNumber(ctx, 'resident_id', body.idNumber);
    // Name and ID number must both match; a mismatch says no more than "not found".
    if (!person || person.name !== body.name.trim()) throw notFound('未找到该居民（身份证号与姓名不匹配）');
    const { idNumber: _i, name: _n, ...rest } = body;
    return recordInpatientEvent(ctx, person, rest, 'partner', ctx.principal.displayName);
  },
});

const parsed = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const iso = (v: Date | string | null) => (v == null ? null : v instanceof Date ? v.toISOString() : v);

async function toDto(tx: Queryable, rows: EventRow[], people: Map<number, PersonView>) {
  const hospitals = new Map<number, string | null>();
  for (const id of new Set(rows.map((r) => r.hospital_id))) hospitals.set(id, (await getInstitution({ tx }, id))?.name ?? null);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    kindName: KIND_NAMES[r.kind],
    personId: r.person_id,
    personName: people.get(r.person_id)?.name ?? null,
    idNumberMasked: people.get(r.person_id)?.idNumberMasked ?? null,
    age: people.get(r.person_id)?.age ?? null,
    hospitalId: r.hospital_id,
    hospitalName: hospitals.get(r.hospital_id) ?? null,
    stayNo: r.stay_no,
    at: iso(r.event_at),
    department: r.department,
    diagnosis: r.diagnosis,
    reports: parsed<{ title: string; url: string }[]>(r.reports),
    source: r.source,
    contractId: r.contract_id,
    status: r.status,
    handledBy: r.handled_by,
    handledAt: iso(r.handled_at),
    handlingNote: r.handling_note,
  }));
}

export const remindersRoute = defineRoute({
  method: 'GET',
  url: '/fd-services/inpatient-reminders',
  summary: '住院提醒（签约居民入院/出院）',
  auth: 'staff',
  permission: 'fd-services.read',
  querystring: Type.Object(
    { status: Type.Optional(enumOf(['open', 'handled', 'no_contract'] as const)), kind: Type.Optional(enumOf(KINDS)), event: Type.Optional(Id), ...Paging },
    { additionalProperties: false },
  ),
  response: { 200: ReminderPage },
  handler: async (ctx, { query }) => {
    const w = where([query.status && sql`status = ${query.status}`, query.kind && sql`kind = ${query.kind}`, query.event && sql`id = ${query.event}`]);
    const { limit, offset } = pageOf(query);
    const c = await one<{ n: number }>(ctx.tx, sql`select count(*)::int as n from fds_inpatient_event ${w}`);
    const rows = await ctx.tx.query<EventRow>(sql`select * from fds_inpatient_event ${w} order by id desc limit ${limit} offset ${offset}`);
    if (rows.length) ctx.audit.read({ action: 'fd-services.inpatient.list', objectType: 'fds_inpatient_event', note: `查看住院提醒 ${rows.length} 条` });
    return {
      total: c.n,
      items: await toDto(
        ctx.tx,
        rows,
        await getPeople(
          ctx,
          rows.map((r) => r.person_id),
        ),
      ),
    };
  },
});

export const handleReminderRoute = defineRoute({
  method: 'POST',
  url: '/fd-services/inpatient-reminders/:id/handle',
  summary: '处理住院提醒（已随访/已知悉）',
  auth: 'staff',
  permission: 'fd-services.manage',
  params: IdParams,
  body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
  response: { 200: Reminder },
  handler: async (ctx, { params, body }) => {
    const [before] = await ctx.tx.query<EventRow>('select * from fds_inpatient_event where id = $1 for update', [params.id]);
    if (!before) throw notFound('住院提醒不存在或不在您的数据权限范围内');
    if (before.status !== 'open') throw conflict(before.status === 'handled' ? '该提醒已处理' : '该居民无有效签约，无需处理');
    const who = ctx.principal.displayName || ctx.principal.username;
    // Locked above, so the row is there.
    const after = await one<EventRow>(
      ctx.tx,
      sql`update fds_inpatient_event set status = 'handled', handled_by = ${who}, handled_at = now(), handling_note = ${body.note} where id = ${params.id} returning *`,
    );
    ctx.audit.write({
      action: 'fd-services.inpatient.handle',
      objectType: 'fds_inpatient_event',
      objectId: params.id,
      before: { status: before.status },
      after: { status: 'handled', note: body.note },
    });
    return (await toDto(ctx.tx, [after], await getPeople(ctx, [after.person_id])))[0];
  },
});
