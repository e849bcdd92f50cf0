-- People and teams of family-doctor contracting: doctors synced from the family-doctor QC platform
-- (家庭医生质控平台) into master-data practitioners and staff accounts; community seal images.

-- Which QC-platform doctor is which practitioner and account; the fingerprint tells a changed record.
create table fdp_qc_doctor (
  qc_id text primary key,
  practitioner_id bigint not null,
  user_id bigint,
  fingerprint text not null,
  district_code text not null,
  synced_at timestamptz not null default now()
);
alter table fdp_qc_doctor enable row level security;
create policy fdp_qc_doctor_scope on fdp_qc_doctor
  using (wj_scope_ok(district_code, null, null, null, practitioner_id))
  with check (wj_scope_ok(district_code, null, null, null, practitioner_id));

-- One sync run (scheduled or started in the console) and what it did.
create table fdp_sync_run (
  id bigserial primary key,
  started_at timestamptz not null default now(),
  triggered_by text not null,
  fetched int not null default 0,
  created int not null default 0,
  updated int not null default 0,
  unchanged int not null default 0,
  accounts_created int not null default 0,
  errors jsonb not null default '[]'
);
alter table fdp_sync_run enable row level security;
create policy fdp_sync_run_read on fdp_sync_run for select using (current_setting('weijian.level', true) in ('city', 'district'));
create policy fdp_sync_run_write on fdp_sync_run for insert with check (current_setting('weijian.level', true) = 'city');

-- 社区公章 image of a community health service centre (PNG), latest per centre.
create table fdp_community_seal (
  id bigserial primary key,
  institution_id bigint not null,
  image bytea not null,
  sha256 text not null,
  uploaded_by text not null,
  uploaded_at timestamptz not null default now(),
  district_code text not null,
  street_code text
);
create index fdp_community_seal_inst on fdp_community_seal (institution_id, id desc);
alter table fdp_community_seal enable row level security;
create policy fdp_community_seal_read on fdp_community_seal for select using (true);
create policy fdp_community_seal_write on fdp_community_seal for insert
  with check (wj_scope_ok(district_code, street_code, institution_id, null, null));
