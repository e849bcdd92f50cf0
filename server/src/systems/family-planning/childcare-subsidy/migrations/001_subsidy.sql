-- 育儿补贴免申即享: policy parameters, the national system's field requirements (seeded with defaults),
-- subsidies already granted, the screening snapshot of children (cs_child, the rule catalog's source) and
-- versioned screening runs with their candidates (eligible and excluded, with reasons and the pre-filled draft).
create table cs_policy (
  id int primary key default 1 check (id = 1),
  start_date date not null,                 -- born on or after
  max_age_years int not null check (max_age_years between 1 and 18),
  version int not null default 1,
  updated_by text,
  updated_at timestamptz not null default now()
);
insert into cs_policy (start_date, max_age_years) values ('2025-01-01', 3);

create table cs_field_requirement (
  field text primary key,
  title text not null,
  required boolean not null,
  sort int not null
);
insert into cs_field_requirement (field, title, required, sort) values
  ('child_name', '儿童姓名', true, 1),
  ('child_id_number', '儿童身份证件号码', true, 2),
  ('child_birth_date', '儿童出生日期', true, 3),
  ('child_hukou_district', '儿童户籍所在区', true, 4),
  ('birth_order', '孩次', true, 5),
  ('applicant_relation', '申领人与儿童关系', true, 6),
  ('applicant_name', '申领人姓名', true, 7),
  ('applicant_id_number', '申领人身份证件号码', true, 8),
  ('applicant_phone', '申领人手机号码', true, 9),
  ('bank_account', '发放银行账户', false, 10);

create table cs_grant (
  child_person_id bigint primary key,
  granted_on date not null,
  source text not null default 'application',   -- the old apply-first path
  district_code text,
  street_code text
);
alter table cs_grant enable row level security;
create policy cs_grant_scope on cs_grant
  using (wj_scope_ok(district_code, street_code, null, null, null))
  with check (wj_scope_ok(district_code, street_code, null, null, null));

create table cs_child (
  person_id bigint primary key,
  district_code text,
  street_code text,
  name_mask text not null,
  id_mask text,
  birth_date date not null,
  hukou_district text,
  status text not null,
  already_granted boolean not null,
  parents_verified boolean not null,
  problems text[] not null default '{}',
  mother_person_id bigint,
  father_person_id bigint,
  birth_order int,
  birth_order_review boolean not null default false,
  applicant_person_id bigint,
  applicant_relation text,
  applicant_name_mask text,
  applicant_id_mask text,
  applicant_phone boolean not null default false,
  facts_hash text not null,
  changed_at timestamptz not null default now()
);
create index cs_child_changed on cs_child (changed_at);
alter table cs_child enable row level security;
create policy cs_child_scope on cs_child
  using (wj_scope_ok(district_code, street_code, null, null, null))
  with check (wj_scope_ok(district_code, street_code, null, null, null));

create table cs_screening_run (
  id bigserial primary key,
  mode text not null check (mode in ('full', 'incremental')),
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  as_of date,
  base_run_id bigint references cs_screening_run (id),
  config_hash text,
  rule jsonb,
  rule_text text,
  judged int,
  carried int,
  refreshed int,
  job_run_id bigint,
  requested_by text,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);

create table cs_candidate (
  run_id bigint not null references cs_screening_run (id),
  child_person_id bigint not null,
  district_code text,
  street_code text,
  name_mask text not null,
  id_mask text,
  birth_date date not null,
  eligible boolean not null,
  reasons text[] not null default '{}',
  problems text[] not null default '{}',
  birth_order int,
  judged boolean not null,                  -- judged in this run (false: carried over unchanged)
  prefill_complete boolean,
  prefill_missing jsonb,
  draft jsonb,
  primary key (run_id, child_person_id)
);
create index cs_candidate_run_eligible on cs_candidate (run_id, eligible);
alter table cs_candidate enable row level security;
create policy cs_candidate_scope on cs_candidate
  using (wj_scope_ok(district_code, street_code, null, null, null))
  with check (wj_scope_ok(district_code, street_code, null, null, null));
