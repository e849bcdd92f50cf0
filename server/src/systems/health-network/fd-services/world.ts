import type { WorldContext, WorldStage } from '../../../platform/world/types.ts';

/**
 * Demo-world stage of inpatient reminders: about 2 in 100 residents with a valid contract and an upper
 * hospital in the combination were admitted in the 60 days before the world's day; about half of them
 * were discharged 3–14 days later. Events older than a week are handled (随访), recent ones open. The
 * selection is a hash of the contract id and the seed, so the same seed gives the same events.
 */
const DEPARTMENTS = ['心内科', '呼吸内科', '内分泌科', '神经内科', '骨科', '普外科'];
const DIAGNOSES = ['冠状动脉粥样硬化性心脏病', '慢性阻塞性肺疾病急性加重', '2型糖尿病伴并发症', '脑梗死', '股骨颈骨折', '急性胆囊炎'];

export const inpatientWorld: WorldStage = {
  name: 'fd-services',
  order: 37,
  title: '住院提醒',
  tables: [
    {
      table: 'fds_inpatient_event',
      orderBy: 'id',
      columns: [
        'id',
        'kind',
        'person_id',
        'hospital_id',
        'stay_no',
        'event_at',
        'department',
        'diagnosis',
        'reports',
        'source',
        'contract_id',
        'status',
        'handling_note',
        'district_code',
        'doctor_id',
      ],
      where: "source = 'world'",
    },
  ],
  run: generateInpatientEvents,
};

async function generateInpatientEvents(ctx: WorldContext): Promise<void> {
  // h(n): a stable 0..2^31 number per contract and seed (md5, the same on PGlite and PostgreSQL).
  const h = (salt: string) => `(('x' || substr(md5(c.id::text || ':${salt}:' || $1::text), 1, 7))::bit(28)::int)`;
  const params = [ctx.seed, ctx.asOf, DEPARTMENTS, DIAGNOSES];
  await ctx.db.query(
    `insert into fds_inpatient_event (kind, person_id, hospital_id, stay_no, event_at, department, diagnosis, reports, source, reported_by, contract_id, status,
       handled_by, handled_at, handling_note, district_code, street_code, institution_id, team_id, doctor_id)
     select 'admission', c.person_id, coalesce(c.district_hospital_id, c.city_hospital_id), 'ZY' || lpad(c.id::text, 9, '0'), a.at, a.dept, a.diag,
            jsonb_build_array(jsonb_build_object('title', '入院记录', 'url', 'https://his.example.org/stays/ZY' || lpad(c.id::text, 9, '0') || '/admission.pdf')),
            'world', '医院信息系统', c.id, case when a.at < $2::date - 7 then 'handled' else 'open' end,
            case when a.at < $2::date - 7 then '签约医生' end, case when a.at < $2::date - 7 then a.at + interval '1 day' end,
            case when a.at < $2::date - 7 then '已电话随访，了解住院情况' end,
            c.district_code, c.street_code, c.institution_id, c.team_id, c.doctor_id
       from fd_contract_v c
       cross join lateral (select ((($2::date - (${h('day')} % 60))::text || ' 09:00:00+08'))::timestamptz as at,
                                  ($3::text[])[1 + ${h('dept')} % 6] as dept, ($4::text[])[1 + ${h('dept')} % 6] as diag) a
      where c.status = 'active' and c.cycle_end >= $2::date and coalesce(c.district_hospital_id, c.city_hospital_id) is not null
        and ${h('pick')} % 100 < 2
      order by c.id
     on conflict (hospital_id, stay_no, kind) do nothing`,
    params,
  );
  ctx.progress('入院事件', 1, 2);
  await ctx.db.query(
    `insert into fds_inpatient_event (kind, person_id, hospital_id, stay_no, event_at, department, diagnosis, reports, source, reported_by, contract_id, status,
       handled_by, handled_at, handling_note, district_code, street_code, institution_id, team_id, doctor_id)
     select 'discharge', e.person_id, e.hospital_id, e.stay_no, d.at, e.department, e.diagnosis,
            jsonb_build_array(jsonb_build_object('title', '出院小结', 'url', 'https://his.example.org/stays/' || e.stay_no || '/discharge.pdf')),
            'world', '医院信息系统', e.contract_id, case when d.at < $2::date - 7 then 'handled' else 'open' end,
            case when d.at < $2::date - 7 then '签约医生' end, case when d.at < $2::date - 7 then d.at + interval '2 days' end,
            case when d.at < $2::date - 7 then '出院后已上门访视' end,
            e.district_code, e.street_code, e.institution_id, e.team_id, e.doctor_id
       from fds_inpatient_event e
       join fd_contract_v c on c.id = e.contract_id
       cross join lateral (select e.event_at + make_interval(days => 3 + ${h('stay')} % 12) as at) d
      where e.source = 'world' and e.kind = 'admission' and ${h('out')} % 2 = 0 and d.at <= $2::date + interval '18 hours'
      order by e.id
     on conflict (hospital_id, stay_no, kind) do nothing`,
    [ctx.seed, ctx.asOf],
  );
  ctx.progress('出院事件', 2, 2);
}
