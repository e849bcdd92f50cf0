-- 公安报出生户口信息核对: the monthly 公安 newborn registrations from the 市大数据中心, their 派出所 codes
-- mapped to our street codes, distributed to the streets, and compared with the newborn population library.
-- Scope key: the street the registration was distributed to (district from the mapping, or from the
-- code's first six digits while it is unmapped — then only the district and the city see it).

-- 公安机关代码 → street: automatic (by code or name) or maintained by hand. Reference data: readable by
-- every user of the module; written by the city, or a district for codes mapped into its own streets.
create table fp_hv_org_map (
  police_code text primary key,
  police_name text not null,
  street_code text not null,
  district_code text not null,
  method text not null check (method in ('code', 'name', 'manual')),
  updated_by text not null,
  updated_at timestamptz not null default now()
);
alter table fp_hv_org_map enable row level security;
create policy fp_hv_org_map_read on fp_hv_org_map for select using (true);
create policy fp_hv_org_map_write on fp_hv_org_map for all
  using (wj_scope_ok(district_code, null, null, null, null)) with check (wj_scope_ok(district_code, null, null, null, null));

-- One monthly pull. Counts only.
create table fp_hv_batch (
  id bigserial primary key,
  month text not null check (month ~ '^\d{4}-\d{2}$'),
  status text not null default 'running' check (status in ('running', 'done', 'failed')),
  fetched int not null default 0,
  created int not null default 0,
  duplicates int not null default 0,
  distributed int not null default 0,
  unmapped int not null default 0,
  matched int not null default 0,
  mismatched int not null default 0,
  missing int not null default 0,
  rejected int not null default 0,
  error text,
  requested_by text,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
alter table fp_hv_batch enable row level security;
create policy fp_hv_batch_read on fp_hv_batch for select using (true);
create policy fp_hv_batch_write on fp_hv_batch for all
  using (current_setting('weijian.level', true) = 'city') with check (current_setting('weijian.level', true) = 'city');

-- One 公安 birth registration (报出生户口) with what the newborn library says about the same child.
create table fp_hv_registration (
  id bigserial primary key,
  batch_id bigint not null references fp_hv_batch(id),
  month text not null,                         -- the month pulled (registration month)
  reg_no text not null unique,                 -- 出生登记号
  child_name text not null,
  sex text not null check (sex in ('M', 'F', 'U')),
  birth_date date not null,
  child_id_bi text,
  child_id_masked text,
  police_code text not null,
  police_name text not null,
  mother_name text,
  mother_id_masked text,
  father_name text,
  father_id_masked text,
  registered_on date,
  map_method text check (map_method in ('code', 'name', 'manual')),
  distribution text not null check (distribution in ('distributed', 'unmapped')),
  distributed_at timestamptz,
  newborn jsonb,                               -- the newborn library's record (name, sex, birth date, certificate no)
  match_status text not null check (match_status in ('matched', 'mismatch', 'missing')),
  differences jsonb not null default '[]',     -- [{field, title, police, newborn}]
  district_code text,
  street_code text,
  created_at timestamptz not null default now()
);
create index fp_hv_registration_street on fp_hv_registration (district_code, street_code);
create index fp_hv_registration_code on fp_hv_registration (police_code) where distribution = 'unmapped';
alter table fp_hv_registration enable row level security;
create policy fp_hv_registration_scope on fp_hv_registration
  using (wj_scope_ok(district_code, street_code, null, null, null))
  with check (wj_scope_ok(district_code, street_code, null, null, null));

-- The process log: pulls, mapping, distribution, matching and exceptions.
create table fp_hv_log (
  id bigserial primary key,
  batch_id bigint references fp_hv_batch(id),
  registration_id bigint references fp_hv_registration(id),
  reg_no text,
  kind text not null check (kind in ('pull', 'distribute', 'match', 'exception', 'mapping')),
  status text not null,
  message text not null,
  actor text not null,
  district_code text,
  street_code text,
  at timestamptz not null default now()
);
create index fp_hv_log_at on fp_hv_log (at);
create index fp_hv_log_street on fp_hv_log (street_code);
alter table fp_hv_log enable row level security;
-- Pull-level entries (no district) are counts only and visible to everyone; the rest follow the scope.
create policy fp_hv_log_scope on fp_hv_log
  using (district_code is null or wj_scope_ok(district_code, street_code, null, null, null))
  with check (true);
