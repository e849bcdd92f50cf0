-- 健康评估服务: health-assessment and elderly physical-exam reports, uploaded in batches over FTP by the
-- community health service centres (main path) or one at a time in the console (side path). Every file
-- is recorded with its result; valid ones are archived (the PDF itself is stored here) and linked to the
-- resident, invalid ones keep the reason.

-- One FTP account per 社区卫生服务中心, issued by the platform; the password is an argon2id hash.
create table ha_ftp_account (
  id bigserial primary key,
  institution_id bigint not null unique,
  username text not null unique check (username ~ '^[a-z0-9_]{4,40}$'),
  password_hash text not null,
  active boolean not null default true,
  district_code text not null,
  street_code text,
  issued_by text,
  issued_at timestamptz not null default now(),
  last_login_at timestamptz
);
alter table ha_ftp_account enable row level security;
create policy ha_ftp_account_scope on ha_ftp_account
  using (wj_scope_ok(district_code, street_code, institution_id, null, null))
  with check (wj_scope_ok(district_code, street_code, institution_id, null, null));

-- A batch: one FTP session (login → quit) or one console upload.
create table ha_batch (
  id bigserial primary key,
  channel text not null check (channel in ('ftp', 'web')),
  institution_id bigint not null,
  account_id bigint references ha_ftp_account (id),
  uploaded_by text not null,
  started_at timestamptz not null default now(),
  files_total int not null default 0,
  files_archived int not null default 0,
  files_rejected int not null default 0,
  district_code text not null,             -- scope: the uploading centre
  street_code text,
  team_id bigint,                          -- scope: a console upload by a team member or doctor
  doctor_id bigint
);
create index ha_batch_inst on ha_batch (institution_id, id desc);
alter table ha_batch enable row level security;
create policy ha_batch_scope on ha_batch
  using (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id));

-- Every file of a batch: archived (content kept, linked to the resident and the contract) or rejected.
create table ha_file (
  id bigserial primary key,
  batch_id bigint not null references ha_batch (id),
  channel text not null check (channel in ('ftp', 'web')),
  file_name text not null,
  status text not null check (status in ('archived', 'rejected')),
  error text,
  person_id bigint,
  contract_id bigint,
  report_type text check (report_type in ('HA', 'PE')),
  report_date date,
  age_at_report int,
  signed_by bigint,                -- 审核签名医生 (practitioner)
  signed_at timestamptz,
  size_bytes int not null,
  sm3 text not null,
  content bytea,                   -- the archived PDF (null when rejected)
  institution_id bigint not null,  -- uploading centre
  district_code text not null,     -- scope: the resident's residence (the centre's, when rejected)
  street_code text,
  team_id bigint,
  doctor_id bigint,                -- scope: the resident's family doctor
  uploaded_by text not null,
  uploaded_at timestamptz not null default now(),
  check ((status = 'archived') = (content is not null and person_id is not null and error is null)),
  check (status = 'rejected' or (report_type is not null and report_date is not null and signed_by is not null))
);
create index ha_file_batch on ha_file (batch_id, id);
create index ha_file_person on ha_file (person_id, report_type, report_date desc) where status = 'archived';
create unique index ha_file_one_report on ha_file (person_id, report_type, report_date) where status = 'archived';
create index ha_file_inst on ha_file (institution_id, uploaded_at desc);
alter table ha_file enable row level security;
create policy ha_file_scope on ha_file
  using (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id));

-- Whether a resident has an archived report of a type since a date, whatever the caller's scope: the
-- flexible-renewal and elderly-booking screens ask it for a resident whose contract the caller already sees.
create function ha_latest_report(p_person bigint, p_type text, p_since date) returns bigint
language sql stable security definer set search_path = public as $$
  select id from ha_file
   where person_id = p_person and report_type = p_type and status = 'archived' and report_date >= p_since
   order by report_date desc, id desc limit 1
$$;
