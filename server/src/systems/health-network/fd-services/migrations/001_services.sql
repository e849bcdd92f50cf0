-- Family-doctor services for residents: inpatient reminders (住院提醒), elderly services (老年人体检预约、
-- 上门访视) and the resident portal's sign-in (短信验证码 → 会话). Scope columns as in family-doctor:
-- the resident's residence district/street, the contracting centre, team and doctor.

-- Admission / discharge events from hospitals (partner API) and the demo world; each one for a contracted
-- resident is a reminder (task) for the family doctor, with links to the stay's reports.
create table fds_inpatient_event (
  id bigserial primary key,
  kind text not null check (kind in ('admission', 'discharge')),
  person_id bigint not null,
  hospital_id bigint not null,
  stay_no text not null,                    -- 住院号
  event_at timestamptz not null,
  department text,
  diagnosis text,
  reports jsonb not null default '[]',      -- [{ title, url }]
  source text not null check (source in ('partner', 'world', 'staff')),
  reported_by text not null,
  contract_id bigint,
  status text not null default 'open' check (status in ('open', 'handled', 'no_contract')),
  handled_by text,
  handled_at timestamptz,
  handling_note text,
  created_at timestamptz not null default now(),
  district_code text not null,
  street_code text,
  institution_id bigint,
  team_id bigint,
  doctor_id bigint,
  unique (hospital_id, stay_no, kind)
);
create index fds_inpatient_event_doctor on fds_inpatient_event (doctor_id, status, id desc);
create index fds_inpatient_event_person on fds_inpatient_event (person_id);
alter table fds_inpatient_event enable row level security;
create policy fds_inpatient_event_scope on fds_inpatient_event
  using (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id));

-- 老年人体检预约 at a community health service centre.
create table fds_exam_booking (
  id bigserial primary key,
  person_id bigint not null,
  institution_id bigint not null,           -- the centre where the exam takes place
  exam_date date not null,
  status text not null default 'booked' check (status in ('booked', 'done', 'cancelled', 'no_show')),
  colour_at_booking text check (colour_at_booking in ('green', 'yellow')),
  renewal_prompted boolean not null default false,
  contract_id bigint,
  booked_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  district_code text not null,
  street_code text,
  contract_institution_id bigint,
  team_id bigint,
  doctor_id bigint
);
create unique index fds_exam_booking_one_open on fds_exam_booking (person_id) where status = 'booked';
create index fds_exam_booking_inst on fds_exam_booking (institution_id, exam_date);
alter table fds_exam_booking enable row level security;
create policy fds_exam_booking_scope on fds_exam_booking
  using (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id)
      or wj_scope_ok(district_code, street_code, contract_institution_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id)
      or wj_scope_ok(district_code, street_code, contract_institution_id, team_id, doctor_id));

-- 上门访视, recorded by form.
create table fds_home_visit (
  id bigserial primary key,
  person_id bigint not null,
  contract_id bigint not null,
  form text not null check (form in ('integrated_care', 'clinic', 'follow_up', 'home_bed', 'ltc_delegated', 'other')),
  visit_date date not null,
  summary text not null,
  next_visit_date date,
  recorded_by text not null,
  created_at timestamptz not null default now(),
  district_code text not null,
  street_code text,
  institution_id bigint not null,
  team_id bigint,
  doctor_id bigint not null
);
create index fds_home_visit_person on fds_home_visit (person_id, visit_date desc);
create index fds_home_visit_doctor on fds_home_visit (doctor_id, visit_date desc);
alter table fds_home_visit enable row level security;
create policy fds_home_visit_scope on fds_home_visit
  using (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id));

-- Resident portal sign-in: a one-time SMS code (only its keyed digest), then a short session token
-- (only its SM3 digest). Reached only through the public portal routes.
create table fds_portal_code (
  id bigserial primary key,
  person_id bigint not null,
  code_digest text not null,
  expires_at timestamptz not null,
  attempts int not null default 0,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  district_code text not null
);
create index fds_portal_code_person on fds_portal_code (person_id, id desc);
alter table fds_portal_code enable row level security;
create policy fds_portal_code_scope on fds_portal_code
  using (wj_scope_ok(district_code, null, null, null, null))
  with check (wj_scope_ok(district_code, null, null, null, null));

create table fds_portal_session (
  token_digest text primary key,
  person_id bigint not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  district_code text not null
);
alter table fds_portal_session enable row level security;
create policy fds_portal_session_scope on fds_portal_session
  using (wj_scope_ok(district_code, null, null, null, null))
  with check (wj_scope_ok(district_code, null, null, null, null));
