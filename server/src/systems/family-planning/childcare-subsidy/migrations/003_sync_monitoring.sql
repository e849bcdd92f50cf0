-- 与国家系统同步 and 全过程监控. An approved application is uploaded once (outbox message, key
-- cs-app:<id>); the national system's feedback (accepted / rejected / paid) arrives through its reply
-- feed, possibly twice and out of order: each reply is kept once by its id, and an application's
-- national status only moves forward (national_rank). Reconciliation runs compare our applications with
-- the national system's list and keep the mismatches. Monitoring thresholds are per funnel stage.
-- Every conflict kind of a child's birth records (problems leaves out a wrong 孩次 claim, which only
-- affects the order): what verification found, per child, for review and for measuring detection.
alter table cs_child add column conflicts text[] not null default '{}';

alter table cs_application add column sms_message_id bigint;
alter table cs_application add column sync_message_id bigint;
alter table cs_application add column sync_queued_at timestamptz;
alter table cs_application add column national_id text;
alter table cs_application add column national_status text check (national_status in ('accepted', 'rejected', 'paid'));
alter table cs_application add column national_rank int not null default 0;
alter table cs_application add column national_reason text;
alter table cs_application add column national_updated_at timestamptz;
update cs_application set sms_message_id = outbox_message_id;
create index cs_application_sync on cs_application (sync_queued_at) where sync_queued_at is not null;

create table cs_national_reply (
  reply_id text primary key,
  seq bigint not null,
  application_id bigint,
  status text,
  reason text,
  applied boolean not null,                 -- false: a stale (out-of-order) or unknown reply, kept for the record
  district_code text,
  street_code text,
  received_at timestamptz not null default now()
);
alter table cs_national_reply enable row level security;
create policy cs_national_reply_scope on cs_national_reply
  using (wj_scope_ok(district_code, street_code, null, null, null))
  with check (wj_scope_ok(district_code, street_code, null, null, null));

create table cs_sync_cursor (
  id int primary key default 1 check (id = 1),
  last_seq bigint not null default 0,
  polled_at timestamptz,
  last_error text
);
insert into cs_sync_cursor (id) values (1);

create table cs_reconciliation (
  id bigserial primary key,
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  ours int,
  theirs int,
  matched int,
  missing_theirs int,
  missing_ours int,
  status_differs int,
  requested_by text,
  error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);

create table cs_reconciliation_item (
  reconciliation_id bigint not null references cs_reconciliation (id),
  application_id bigint not null,
  kind text not null check (kind in ('missing_theirs', 'missing_ours', 'status_differs')),
  ours_status text,
  theirs_status text,
  theirs_reason text,
  district_code text,
  street_code text,
  primary key (reconciliation_id, application_id)
);
alter table cs_reconciliation_item enable row level security;
create policy cs_reconciliation_item_scope on cs_reconciliation_item
  using (wj_scope_ok(district_code, street_code, null, null, null))
  with check (wj_scope_ok(district_code, street_code, null, null, null));

create table cs_monitor_threshold (
  stage text primary key check (stage in ('screened', 'prefilled', 'sms_sent', 'confirmed', 'approved', 'synced')),
  max_failure_rate numeric(5, 4) not null check (max_failure_rate between 0 and 1),
  min_volume int not null default 20 check (min_volume >= 1),
  updated_by text,
  updated_at timestamptz not null default now()
);
insert into cs_monitor_threshold (stage, max_failure_rate, min_volume) values
  ('screened', 0.10, 50), ('prefilled', 0.10, 50), ('sms_sent', 0.05, 20), ('confirmed', 0.30, 20), ('approved', 0.20, 20), ('synced', 0.05, 20);

-- One alert per stage, district (null: the whole city) and day: raised once, however often the check runs.
create table cs_monitor_alert (
  id bigserial primary key,
  stage text not null,
  district_code text,
  day date not null,
  failed int not null,
  total int not null,
  failure_rate numeric(5, 4) not null,
  threshold numeric(5, 4) not null,
  notified int not null,
  created_at timestamptz not null default now()
);
create unique index cs_monitor_alert_once on cs_monitor_alert (stage, coalesce(district_code, ''), day);
alter table cs_monitor_alert enable row level security;
create policy cs_monitor_alert_scope on cs_monitor_alert
  using (wj_scope_ok(district_code, null, null, null, null))
  with check (wj_scope_ok(district_code, null, null, null, null));
