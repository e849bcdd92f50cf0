-- Resident master index (居民主索引). Identity numbers and phones are SM4-sealed; equality search goes
-- through blind indexes (HMAC-SM3). The scope key is the residence: district, street, managing
-- community health center, and (set by the family-doctor module) the team and doctor of the contract.
create table person (
  id bigserial primary key,
  id_type text not null default 'resident_id'
    check (id_type in ('resident_id', 'passport', 'hk_macao_pass', 'taiwan_pass', 'foreign_permanent', 'other')),
  id_number_enc text not null,
  id_number_bi text not null,
  id_number_mask text not null,        -- 3101**********1234, for lists without a 调阅
  name text not null,
  sex text not null check (sex in ('M', 'F', 'U')),
  birth_date date not null,
  hukou_district text,                 -- 户籍区 (null: not Shanghai 户籍)
  hukou_place text,                    -- 户籍地 code (province/city) when not Shanghai
  residence_district text not null,
  residence_street text,
  residence_community text,
  address text,
  phone_enc text,
  phone_bi text,
  phone_mask text,
  insurance_card_no text,              -- 医保卡号
  insured_place text,                  -- 参保地 (310000 = Shanghai)
  status text not null default 'alive' check (status in ('alive', 'dead')),
  death_date date,
  managing_institution_id bigint,      -- 社区卫生服务中心 of the residence
  team_id bigint,
  doctor_id bigint,
  version int not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (status = 'dead' or death_date is null)
);
create unique index person_id_number on person (id_type, id_number_bi);
create index person_phone on person (phone_bi);
create index person_district_name on person (residence_district, name);
create index person_name_trgm on person using gin (name gin_trgm_ops);
create index person_insurance on person (insured_place, insurance_card_no);
create index person_doctor on person (doctor_id) where doctor_id is not null;
create index person_team on person (team_id) where team_id is not null;
create index person_inst on person (managing_institution_id);

alter table person enable row level security;
create policy person_scope on person
  using (wj_scope_ok(residence_district, residence_street, managing_institution_id, team_id, doctor_id))
  with check (wj_scope_ok(residence_district, residence_street, managing_institution_id, team_id, doctor_id));
