-- 民政婚姻信息核对: 民政 marriage/divorce registrations pulled from the 市大数据中心, matched to persons of
-- the resident index, audited automatically on creation, handled by hand when the audit cannot decide.
-- Scope key: the registering district (登记机关区划); no street (registrations are a district matter).

-- One pull of one day of registrations. Counts only: readable by every user of the module, written by the city.
create table fp_mv_batch (
  id bigserial primary key,
  source_date date not null,
  status text not null default 'running' check (status in ('running', 'done', 'failed')),
  fetched int not null default 0,
  created int not null default 0,
  duplicates int not null default 0,
  rejected int not null default 0,
  error text,
  requested_by text,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
create index fp_mv_batch_date on fp_mv_batch (source_date);
alter table fp_mv_batch enable row level security;
create policy fp_mv_batch_read on fp_mv_batch for select using (true);
create policy fp_mv_batch_write on fp_mv_batch for all
  using (current_setting('weijian.level', true) = 'city') with check (current_setting('weijian.level', true) = 'city');

-- One 民政 registration = one individual case (个案). Identity numbers only as blind index + mask.
create table fp_mv_case (
  id bigserial primary key,
  record_no text not null unique,                 -- 登记证字号
  batch_id bigint references fp_mv_batch(id),
  kind text not null check (kind in ('marriage', 'divorce')),
  registered_on date not null,
  husband_name text not null,
  husband_birth date,
  husband_id_bi text,
  husband_id_masked text,
  husband_hukou text,
  wife_name text not null,
  wife_birth date,
  wife_id_bi text,
  wife_id_masked text,
  wife_hukou text,
  husband_person_id bigint,
  wife_person_id bigint,
  match_detail jsonb not null default '{}',       -- how each party was matched (idNumber / nameBirth / manual / none)
  status text not null check (status in ('matched', 'exception', 'manual', 'confirmed', 'invalid')),
  findings jsonb not null default '[]',           -- [{rule, ok, message}]
  manual boolean not null default false,          -- a person intervened
  note text,
  handled_by text,
  handled_at timestamptz,
  district_code text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index fp_mv_case_district on fp_mv_case (district_code, registered_on);
create index fp_mv_case_husband on fp_mv_case (husband_person_id) where husband_person_id is not null;
create index fp_mv_case_wife on fp_mv_case (wife_person_id) where wife_person_id is not null;
alter table fp_mv_case enable row level security;
create policy fp_mv_case_scope on fp_mv_case
  using (wj_scope_ok(district_code, null, null, null, null))
  with check (wj_scope_ok(district_code, null, null, null, null));

-- The verification log: every match, audit and manual intervention on a case.
create table fp_mv_log (
  id bigserial primary key,
  case_id bigint not null references fp_mv_case(id),
  record_no text not null,
  kind text not null check (kind in ('match', 'audit', 'manual')),
  status text not null,
  detail jsonb not null default '{}',
  actor text not null,
  district_code text not null,
  at timestamptz not null default now()
);
create index fp_mv_log_at on fp_mv_log (at);
create index fp_mv_log_case on fp_mv_log (case_id);
create index fp_mv_log_record on fp_mv_log (record_no);
alter table fp_mv_log enable row level security;
create policy fp_mv_log_scope on fp_mv_log
  using (wj_scope_ok(district_code, null, null, null, null))
  with check (wj_scope_ok(district_code, null, null, null, null));
