-- 签约服务监管 (supervision of family-doctor contracting). The daily red/yellow/green monitoring is a
-- snapshot written by a daily job, one row per day × doctor × residence street (the scope of the
-- contracts it counts), so yesterday's figures stay as they were even after contracts change.

create table fs_daily_snapshot (
  snap_date date not null,
  district_code text not null,
  street_code text not null default '',    -- '' when the contracts have no street
  institution_id bigint not null,
  team_id bigint not null default 0,       -- 0 when the contracts have no team
  doctor_id bigint not null,
  green int not null default 0,            -- active contracts by colour at the end of the day
  yellow int not null default 0,
  red int not null default 0,
  signed_new int not null default 0,       -- signings and changes of doctor that day
  terminated int not null default 0,
  terminated_resident int not null default 0,
  terminated_doctor int not null default 0,
  terminated_system int not null default 0,
  transferred int not null default 0,      -- 转签 and transfers inside the community
  renewed_green int not null default 0,    -- renewals of contracts that were still green (early)
  renewed_yellow int not null default 0,   -- renewals within the yellow window
  generated_at timestamptz not null default now(),
  primary key (snap_date, district_code, street_code, institution_id, team_id, doctor_id)
);
create index fs_daily_snapshot_inst on fs_daily_snapshot (institution_id, snap_date);
create index fs_daily_snapshot_doctor on fs_daily_snapshot (doctor_id, snap_date);

alter table fs_daily_snapshot enable row level security;
create policy fs_daily_snapshot_scope on fs_daily_snapshot
  using (wj_scope_ok(district_code, nullif(street_code, ''), institution_id, nullif(team_id, 0), doctor_id))
  with check (wj_scope_ok(district_code, nullif(street_code, ''), institution_id, nullif(team_id, 0), doctor_id));

-- Visits of signed residents at district and city hospitals (the community visits are family-doctor's
-- fd_visit). Filled by the demo world until the hospital visit feeds arrive. Scope: the resident's
-- residence and contracted centre, team and doctor at the time of the visit.
create table fs_hospital_visit (
  id bigserial primary key,
  person_id bigint not null,
  institution_id bigint not null,          -- the hospital
  visit_date date not null,
  kind text not null check (kind in ('outpatient', 'inpatient')),
  district_code text not null,
  street_code text,
  chc_id bigint,
  team_id bigint,
  doctor_id bigint
);
create index fs_hospital_visit_person on fs_hospital_visit (person_id, visit_date);

alter table fs_hospital_visit enable row level security;
create policy fs_hospital_visit_scope on fs_hospital_visit
  using (wj_scope_ok(district_code, street_code, chc_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, chc_id, team_id, doctor_id));
