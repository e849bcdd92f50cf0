-- 转签 between doctors (a doctor retires, changes post or leaves), death verification (死亡报告卡 → 核实 → 解约)
-- and the abnormal-signing threshold. Applied after 001, which is never edited.

insert into fd_setting (key, value, title) values
  ('abnormal_sign_threshold', 10, '同一身份证号签约次数超过多少次列入异常签约报表');

-- A transfer between doctors moves the contract to the receiving doctor; the event kind is new.
alter table fd_contract_event drop constraint fd_contract_event_kind_check;
alter table fd_contract_event add constraint fd_contract_event_kind_check
  check (kind in ('sign', 'change_doctor', 'transfer_in_community', 'change_hospitals', 'renew', 'terminate', 'transfer'));

-- One request: selected contracts of doctor A (from_*) to doctor B (to_*), decided once by the receiving side.
create table fd_transfer_request (
  id bigserial primary key,
  from_institution_id bigint not null,
  from_team_id bigint,
  from_doctor_id bigint not null,
  to_institution_id bigint not null,
  to_team_id bigint not null,
  to_doctor_id bigint not null,
  district_code text not null,             -- scope: district of the transferring centre (both centres are in it)
  reason_kind text not null check (reason_kind in ('retire', 'post_change', 'leave', 'other')),
  reason text not null,
  contract_ids bigint[] not null check (cardinality(contract_ids) between 1 and 500),
  residents jsonb not null default '[]',   -- who is asked for: contract id, name, masked ID number (both sides see it)
  status text not null default 'pending' check (status in ('pending', 'accepted', 'rejected')),
  decision_reason text,
  moved_ids bigint[] not null default '{}',
  skipped_ids bigint[] not null default '{}',
  requested_by bigint,
  requested_by_name text,
  requested_at timestamptz not null default now(),
  decided_by bigint,
  decided_by_name text,
  decided_at timestamptz,
  check ((status = 'pending') = (decided_at is null))
);
create index fd_transfer_request_from on fd_transfer_request (from_doctor_id, status);
create index fd_transfer_request_to on fd_transfer_request (to_doctor_id, status);

-- Visible to both sides: the transferring doctor's scope and the receiving doctor's scope.
alter table fd_transfer_request enable row level security;
create policy fd_transfer_request_scope on fd_transfer_request
  using (wj_scope_ok(district_code, null, from_institution_id, from_team_id, from_doctor_id)
      or wj_scope_ok(district_code, null, to_institution_id, to_team_id, to_doctor_id))
  with check (wj_scope_ok(district_code, null, from_institution_id, from_team_id, from_doctor_id)
      or wj_scope_ok(district_code, null, to_institution_id, to_team_id, to_doctor_id));

-- 死亡核实: a task for the contracted doctor, from a death report card or the resident index (status = dead).
create table fd_death_check (
  id bigserial primary key,
  contract_id bigint not null references fd_contract (id),
  person_id bigint not null,
  death_date date not null,
  source text not null check (source in ('report_card', 'resident_index')),
  report_no text,
  cause text,
  status text not null default 'pending' check (status in ('pending', 'confirmed', 'not_same_person')),
  note text,
  reported_by bigint,
  reported_by_name text,
  reported_at timestamptz not null default now(),
  decided_by bigint,
  decided_by_name text,
  decided_at timestamptz,
  district_code text not null,
  street_code text,
  institution_id bigint not null,
  team_id bigint,
  doctor_id bigint not null,
  check ((status = 'pending') = (decided_at is null))
);
create unique index fd_death_check_one_pending on fd_death_check (contract_id) where status = 'pending';
create index fd_death_check_doctor on fd_death_check (doctor_id, status);
create index fd_death_check_person on fd_death_check (person_id);

alter table fd_death_check enable row level security;
create policy fd_death_check_scope on fd_death_check
  using (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id));
