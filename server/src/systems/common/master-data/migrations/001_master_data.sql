-- Master data: regions, institutions, departments, practitioners, family-doctor teams.
-- Reference data is readable city-wide (referrals cross districts); writes stay inside the writer's scope.
create extension if not exists pg_trgm;

create table region (
  code text primary key,               -- 310000 city · 3101xx district · 9-digit street/town · 12-digit 居委
  name text not null,
  level text not null check (level in ('city', 'district', 'street', 'community')),
  parent_code text references region(code),
  district_code text,                  -- the district it lies in (null for the city)
  street_code text,                    -- the street it lies in (communities)
  kind text,                           -- 街道 / 镇 / 开发区 …
  source text not null default 'builtin' check (source in ('builtin', 'import', 'world')),
  created_at timestamptz not null default now()
);
create index region_parent on region (parent_code);

create table institution (
  id bigserial primary key,
  code text not null unique,           -- 机构代码
  name text not null,
  short_name text,
  kind text not null check (kind in ('chc', 'district_hospital', 'city_hospital', 'specialist_hospital', 'other')),
  level int check (level between 1 and 3),   -- 一级 / 二级 / 三级
  grade text check (grade in ('甲', '乙', '丙', '未定')),
  category text not null default '综合',      -- 综合 / 中医 / 专科 / 妇幼 …
  ownership text not null default '公立',
  parent_id bigint references institution(id), -- 总院 of a branch (分院)
  district_code text not null references region(code),
  street_code text references region(code),
  address text,
  phone text,
  lng double precision,
  lat double precision,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index institution_district on institution (district_code, kind);
create index institution_parent on institution (parent_id);
create index institution_name_trgm on institution using gin (name gin_trgm_ops);

create table department (
  id bigserial primary key,
  institution_id bigint not null references institution(id),
  code text not null,
  name text not null,
  district_code text not null,         -- copied from the institution: the scope key
  unique (institution_id, code)
);

create table practitioner (
  id bigserial primary key,
  institution_id bigint not null references institution(id),
  department_id bigint references department(id),
  name text not null,
  sex text not null check (sex in ('M', 'F')),
  birth_date date,
  id_number_enc text,                  -- SM4-sealed
  id_number_bi text,                   -- blind index (HMAC-SM3) for equality search
  qualification_no text,               -- 医师资格证书编码
  practice_cert_no text,               -- 医师执业证书编码
  practice_category text,              -- 临床 / 中医 / 口腔 / 公共卫生 / 护理 …
  practice_scope text,                 -- 执业范围, e.g. 全科医学专业
  title text,                          -- 主任医师 / 副主任医师 / 主治医师 / 医师 / 医士 …
  is_family_doctor boolean not null default false,
  phone_enc text,
  district_code text not null,         -- copied from the institution: the scope key
  street_code text,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index practitioner_inst on practitioner (institution_id);
create unique index practitioner_id_bi on practitioner (id_number_bi) where id_number_bi is not null;
create index practitioner_name_trgm on practitioner using gin (name gin_trgm_ops);

create table team (
  id bigserial primary key,
  institution_id bigint not null references institution(id),
  name text not null,
  leader_id bigint references practitioner(id),
  district_code text not null,
  street_code text,
  active boolean not null default true,
  created_at timestamptz not null default now()
);
create index team_inst on team (institution_id);

create table team_member (
  team_id bigint not null references team(id),
  practitioner_id bigint not null references practitioner(id),
  member_role text not null default 'doctor' check (member_role in ('leader', 'doctor', 'nurse', 'assistant', 'public_health', 'other')),
  primary key (team_id, practitioner_id)
);

create table team_community (
  team_id bigint not null references team(id),
  community_code text not null references region(code),
  primary key (team_id, community_code)
);

-- Reads are city-wide; inserts, updates and deletes only inside the writer's scope.
alter table region enable row level security;
create policy region_read on region for select using (true);
create policy region_write on region for all using (wj_scope_ok(district_code, street_code, null, null, null)) with check (wj_scope_ok(district_code, street_code, null, null, null));

alter table institution enable row level security;
create policy institution_read on institution for select using (true);
create policy institution_write on institution for all using (wj_scope_ok(district_code, street_code, id, null, null)) with check (wj_scope_ok(district_code, street_code, id, null, null));

alter table department enable row level security;
create policy department_read on department for select using (true);
create policy department_write on department for all using (wj_scope_ok(district_code, null, institution_id, null, null)) with check (wj_scope_ok(district_code, null, institution_id, null, null));

alter table practitioner enable row level security;
create policy practitioner_read on practitioner for select using (true);
create policy practitioner_write on practitioner for all using (wj_scope_ok(district_code, street_code, institution_id, null, id)) with check (wj_scope_ok(district_code, street_code, institution_id, null, id));

alter table team enable row level security;
create policy team_read on team for select using (true);
create policy team_write on team for all using (wj_scope_ok(district_code, street_code, institution_id, id, null)) with check (wj_scope_ok(district_code, street_code, institution_id, id, null));

alter table team_member enable row level security;
create policy team_member_read on team_member for select using (true);
create policy team_member_write on team_member for all
  using (exists (select 1 from team t where t.id = team_id and wj_scope_ok(t.district_code, t.street_code, t.institution_id, t.id, null)))
  with check (exists (select 1 from team t where t.id = team_id and wj_scope_ok(t.district_code, t.street_code, t.institution_id, t.id, null)));

alter table team_community enable row level security;
create policy team_community_read on team_community for select using (true);
create policy team_community_write on team_community for all
  using (exists (select 1 from team t where t.id = team_id and wj_scope_ok(t.district_code, t.street_code, t.institution_id, t.id, null)))
  with check (exists (select 1 from team t where t.id = team_id and wj_scope_ok(t.district_code, t.street_code, t.institution_id, t.id, null)));
