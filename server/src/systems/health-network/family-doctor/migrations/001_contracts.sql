-- Family-doctor contracting (家庭医生签约): the "1+1+1" combination of a community health service centre
-- (institution_id) with a family doctor, plus a district and a city hospital. Every table that holds
-- person data carries its own denormalised scope columns for row-level security: the residence district
-- and street of the resident, the contracting centre, its team and doctor.

-- Policy parameters (可配置参数); the defaults are the city's policy. Read by everyone, changed city-wide only.
create table fd_setting (
  key text primary key,
  value int not null check (value >= 0),
  title text not null
);
insert into fd_setting (key, value, title) values
  ('yellow_before_days', 60, '到期前多少天起为黄色（待续约）'),
  ('yellow_after_days', 90, '到期后多少天内仍为黄色，超过为红色'),
  ('change_year_days', 365, '变更签约年天数'),
  ('max_doctor_changes', 1, '变更签约年内跨社区更换家庭医生次数上限'),
  ('max_hospital_changes', 2, '变更签约年内更换上级医院次数上限');
alter table fd_setting enable row level security;
create policy fd_setting_read on fd_setting for select using (true);
create policy fd_setting_write on fd_setting for all
  using (current_setting('weijian.level', true) = 'city') with check (current_setting('weijian.level', true) = 'city');

create table fd_contract (
  id bigserial primary key,
  person_id bigint not null,
  institution_id bigint not null,          -- 签约社区卫生服务中心
  doctor_id bigint not null,               -- 家庭医生
  team_id bigint,                          -- 家庭医生团队
  district_hospital_id bigint,             -- 区级医院
  city_hospital_id bigint,                 -- 市级医院
  district_code text not null,             -- scope: residence district of the resident
  street_code text,                        -- scope: residence street
  signed_on date not null,                 -- this contract's signing date
  cycle_start date not null,               -- 签约周期
  cycle_end date not null,
  cycle_years int not null default 1 check (cycle_years between 1 and 3),
  doctor_since date not null,              -- with this family doctor without interruption since
  doctor_changes text[] not null default '{}',   -- dates (YYYY-MM-DD) of changes of family doctor, carried forward
  hospital_changes text[] not null default '{}', -- dates of changes of the upper-level hospitals, carried forward
  channel text not null check (channel in ('online', 'offline')),
  status text not null default 'active' check (status in ('active', 'terminated')),
  terminated_on date,
  termination_initiator text check (termination_initiator in ('resident', 'doctor', 'system')),
  termination_reason text,
  tags text[] not null default '{}',
  previous_id bigint references fd_contract (id),
  emergency_contacts jsonb not null default '[]',
  health_assessment_url text,
  physical_exam_url text,
  operator_id bigint,
  operator_name text,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (cycle_end >= cycle_start),
  check ((status = 'terminated') = (terminated_on is not null))
);
create unique index fd_contract_one_active on fd_contract (person_id) where status = 'active';
create index fd_contract_person on fd_contract (person_id);
create index fd_contract_district_end on fd_contract (district_code, cycle_end) where status = 'active';
create index fd_contract_end on fd_contract (cycle_end) where status = 'active';
create index fd_contract_doctor on fd_contract (doctor_id, cycle_end) where status = 'active';
create index fd_contract_team on fd_contract (team_id, cycle_end) where status = 'active';
create index fd_contract_inst on fd_contract (institution_id, cycle_end) where status = 'active';
create index fd_contract_street on fd_contract (street_code);

alter table fd_contract enable row level security;
create policy fd_contract_scope on fd_contract
  using (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id));

-- Every act on a contract: sign, change_doctor, transfer_in_community, change_hospitals, renew, terminate.
create table fd_contract_event (
  id bigserial primary key,
  contract_id bigint not null references fd_contract (id),
  person_id bigint not null,
  kind text not null check (kind in ('sign', 'change_doctor', 'transfer_in_community', 'change_hospitals', 'renew', 'terminate')),
  initiator text not null check (initiator in ('resident', 'doctor', 'system')),
  reason text,
  channel text check (channel in ('online', 'offline')),
  tags text[] not null default '{}',
  before jsonb,
  after jsonb,
  detail jsonb,
  on_date date not null,
  operator_id bigint,
  operator_name text,
  at timestamptz not null default now(),
  district_code text not null,
  street_code text,
  institution_id bigint not null,
  team_id bigint,
  doctor_id bigint not null
);
create index fd_contract_event_contract on fd_contract_event (contract_id, id);
create index fd_contract_event_person on fd_contract_event (person_id);

alter table fd_contract_event enable row level security;
create policy fd_contract_event_scope on fd_contract_event
  using (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id));

-- Visits at community health service centres (filled by the demo world and, later, by the visit feeds).
create table fd_visit (
  id bigserial primary key,
  person_id bigint not null,
  institution_id bigint not null,
  visit_date date not null,
  district_code text not null,
  street_code text
);
create index fd_visit_person on fd_visit (person_id, institution_id, visit_date);

alter table fd_visit enable row level security;
create policy fd_visit_scope on fd_visit
  using (wj_scope_ok(district_code, street_code, institution_id, null, null))
  with check (wj_scope_ok(district_code, street_code, institution_id, null, null));

-- The flexible-renewal rule counts visits whatever the caller's own scope (a family doctor's 'own' scope
-- does not cover visit rows): a count, nothing else, for a resident whose contract the caller already sees.
create function fd_visit_count(p_person bigint, p_inst bigint, p_from date, p_to date) returns int
language sql stable security definer set search_path = public as $$
  select count(*)::int from fd_visit
   where person_id = p_person and institution_id = p_inst and visit_date between p_from and p_to
$$;
