-- The rest of the compliance catalog: practitioners' practice qualifications (执业资质), medical devices and
-- their registration certificates (医疗器械注册证), the restricted / new technologies each institution is
-- approved to perform (机构技术准入), device use on fee lines and new technologies on procedures.

-- 医师执业资质: one current record per practitioner (null valid_to never: the certificate has an end date).
create table hm_practitioner_qualification (
  practitioner_id bigint primary key references practitioner(id),
  institution_id bigint not null,                        -- 执业注册机构
  district_code text not null,
  cert_no text not null,                                 -- 执业证书编码
  practice_category text not null,                       -- 临床 / 中医 / 口腔 / 公共卫生
  practice_scope text not null,                          -- 执业范围（内科专业…）
  valid_from date not null,
  valid_to date not null,
  updated_at timestamptz not null default now(),
  check (valid_to >= valid_from)
);
create index hm_qualification_inst on hm_practitioner_qualification (institution_id);

-- 医疗器械（含高值耗材）及其注册证. max_per_encounter: how many units one stay may be charged (一次性使用: 1).
create table hm_device (
  id bigserial primary key,
  institution_id bigint not null references institution(id),
  district_code text not null,
  device_code text not null,
  name text not null,
  device_class text not null check (device_class in ('I', 'II', 'III')),
  registration_no text,                                  -- 注册证编号 (null: 无注册证)
  registration_valid_to date,
  single_use boolean not null default true,
  max_per_encounter int not null default 1 check (max_per_encounter >= 1),
  updated_at timestamptz not null default now()
);
create index hm_device_inst on hm_device (institution_id);

-- 机构技术准入: the restricted (限制类) and new (新技术) technologies an institution may perform, and when.
-- tech_key = '<institution>:<tech>' so a procedure joins its institution's approval as a "to-one" relation.
create table hm_institution_technology (
  id bigserial primary key,
  institution_id bigint not null references institution(id),
  district_code text not null,
  kind text not null check (kind in ('restricted', 'new')),
  tech_code text not null,
  approved_on date not null,
  valid_to date not null,
  tech_key text generated always as (institution_id::text || ':' || tech_code) stored,
  updated_at timestamptz not null default now()
);
create unique index hm_institution_technology_key on hm_institution_technology (tech_key);

-- Device used on a fee line (医用耗材 lines) and the new technology of a procedure.
alter table hm_fee_line add column device_id bigint;
create index hm_fee_line_device on hm_fee_line (device_id, encounter_id) where device_id is not null;
alter table hm_procedure add column new_tech_code text;
alter table hm_procedure add column new_tech_key text generated always as (institution_id::text || ':' || new_tech_code) stored;
-- Per-practitioner windows (人员行为: encounters per doctor per day) read this index.
create index hm_encounter_practitioner on hm_encounter (practitioner_id, admitted_on);

alter table hm_practitioner_qualification enable row level security;
create policy hm_qualification_scope on hm_practitioner_qualification using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
alter table hm_device enable row level security;
create policy hm_device_scope on hm_device using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
alter table hm_institution_technology enable row level security;
create policy hm_institution_technology_scope on hm_institution_technology using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
