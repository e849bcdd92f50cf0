-- Hospital treatment and fee data (医院诊疗与收费数据) that compliance rules read. Every table carries the
-- institution and its district: a hospital user sees its own institution, a district official its district.
create table hm_encounter (
  id bigserial primary key,
  institution_id bigint not null references institution(id),
  district_code text not null,
  department_id bigint references department(id),
  practitioner_id bigint references practitioner(id),   -- 接诊/主治医师
  person_id bigint,                                      -- 居民主索引 id (null: not matched, demo)
  patient_mask text,                                     -- masked name for lists (王*明)
  patient_sex text check (patient_sex in ('M', 'F', 'U')),
  kind text not null check (kind in ('outpatient', 'inpatient', 'emergency')),
  admitted_on date not null,
  discharged_on date,
  updated_at timestamptz not null default now(),
  check (discharged_on is null or discharged_on >= admitted_on)
);
create index hm_encounter_inst on hm_encounter (institution_id, admitted_on);
create index hm_encounter_district on hm_encounter (district_code);
create index hm_encounter_person on hm_encounter (person_id, admitted_on);

create table hm_fee_line (
  id bigserial primary key,
  encounter_id bigint not null references hm_encounter(id),
  institution_id bigint not null,
  district_code text not null,
  practitioner_id bigint,                                -- 开单医师
  item_code text not null,
  item_name text not null,
  category text not null,                                -- 诊察 / 检查 / 化验 / 治疗 / 手术 / 护理 / 床位 / 药品 / 材料
  qty numeric(10, 2) not null,
  unit_price numeric(12, 2) not null,
  amount numeric(12, 2) not null,
  charged_on date not null,
  updated_at timestamptz not null default now()
);
create index hm_fee_line_encounter on hm_fee_line (encounter_id);
create index hm_fee_line_inst on hm_fee_line (institution_id, charged_on);
create index hm_fee_line_item on hm_fee_line (item_code, charged_on);

create table hm_diagnosis (
  id bigserial primary key,
  encounter_id bigint not null references hm_encounter(id),
  institution_id bigint not null,
  district_code text not null,
  icd_code text not null,
  icd_name text not null,
  is_primary boolean not null default true,
  diagnosed_on date not null,
  updated_at timestamptz not null default now()
);
create index hm_diagnosis_encounter on hm_diagnosis (encounter_id);

-- Surgery and restricted technologies performed. The two *_key columns are the keys of the surgeon's
-- authorizations (see hm_practitioner_authorization.auth_key), so rules join them as "to-one" relations.
create table hm_procedure (
  id bigserial primary key,
  encounter_id bigint not null references hm_encounter(id),
  institution_id bigint not null,
  district_code text not null,
  surgeon_id bigint,
  procedure_code text not null,
  procedure_name text not null,
  surgery_grade int check (surgery_grade between 1 and 4),   -- 手术分级 一至四级
  tech_code text,                                              -- 限制类技术代码 (null: none)
  performed_on date not null,
  grade_auth_key text generated always as (surgeon_id::text || ':surgery') stored,
  tech_auth_key text generated always as (surgeon_id::text || ':' || tech_code) stored,
  updated_at timestamptz not null default now()
);
create index hm_procedure_encounter on hm_procedure (encounter_id);

-- 医师授权: the highest surgery grade (kind 'surgery') or one restricted technology (kind 'tech').
create table hm_practitioner_authorization (
  id bigserial primary key,
  practitioner_id bigint not null references practitioner(id),
  institution_id bigint not null,
  district_code text not null,
  kind text not null check (kind in ('surgery', 'tech')),
  tech_code text,
  max_grade int check (max_grade between 1 and 4),
  valid_from date not null,
  valid_to date not null,
  auth_key text generated always as (practitioner_id::text || ':' || case when kind = 'surgery' then 'surgery' else tech_code end) stored,
  updated_at timestamptz not null default now(),
  check ((kind = 'surgery') = (max_grade is not null)),
  check ((kind = 'tech') = (tech_code is not null))
);
create unique index hm_authorization_key on hm_practitioner_authorization (auth_key);

-- Practitioners as the rule catalog sees them (master data, read-only).
create view hm_practitioner_v as
  select id, institution_id, department_id, name, title, practice_category, practice_cert_no, district_code, updated_at from practitioner;

alter table hm_encounter enable row level security;
create policy hm_encounter_scope on hm_encounter using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
alter table hm_fee_line enable row level security;
create policy hm_fee_line_scope on hm_fee_line using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
alter table hm_diagnosis enable row level security;
create policy hm_diagnosis_scope on hm_diagnosis using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
alter table hm_procedure enable row level security;
create policy hm_procedure_scope on hm_procedure using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
alter table hm_practitioner_authorization enable row level security;
create policy hm_authorization_scope on hm_practitioner_authorization using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
