-- Multi-source data self-check (多源数据自检与校验): data-quality rules on the rule engine, check runs, the
-- anomalies they flag (each with a suggested fix) and the corrections data managers make (before/after).
create table dq_rule (
  id bigserial primary key,
  code text unique,
  kind text not null check (kind in ('completeness', 'format', 'logic', 'reference')),
  title text not null,
  source text not null,                                  -- catalog source judged (encounter, fee_line, …)
  field text not null,                                   -- the field a correction edits
  definition jsonb not null,                             -- { when, pattern?, suggest?, normalize? } (platform/rules AST)
  sentence text not null,
  suggestion text not null,                              -- 整改建议
  severity text not null default 'medium' check (severity in ('high', 'medium', 'low')),
  enabled boolean not null default true,
  version int not null default 1,
  builtin boolean not null default false,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table dq_run (
  id bigserial primary key,
  job_run_id bigint,
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  requested_by text not null,
  rules int not null default 0,
  found int not null default 0,                          -- rows flagged by this run
  opened int not null default 0,                         -- new or reopened anomalies
  closed int not null default 0,                         -- anomalies no longer found (fixed or corrected elsewhere)
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now()
);

create table dq_anomaly (
  id bigserial primary key,
  rule_id bigint not null references dq_rule(id),
  rule_version int not null,
  kind text not null,
  source text not null,
  object_key text not null,
  institution_id bigint not null,
  institution_name text,
  district_code text not null,
  field text not null,
  current_value text,
  suggested_value text,
  status text not null default 'open' check (status in ('open', 'fixed', 'closed')),
  found_run_id bigint not null references dq_run(id),
  last_seen_run_id bigint not null,
  found_at timestamptz not null default now(),
  fixed_at timestamptz,
  fixed_by text,
  closed_at timestamptz
);
-- One live (open or fixed) anomaly per rule and row; closed ones stay as history.
create unique index dq_anomaly_live on dq_anomaly (rule_id, object_key) where status in ('open', 'fixed');
create index dq_anomaly_inst on dq_anomaly (institution_id, status);
create index dq_anomaly_district on dq_anomaly (district_code, status);

create table dq_correction (
  id bigserial primary key,
  anomaly_id bigint not null references dq_anomaly(id),
  source text not null,
  object_key text not null,
  field text not null,
  before_value text,
  after_value text,
  note text,
  institution_id bigint not null,
  district_code text not null,
  corrected_by text not null,
  corrected_at timestamptz not null default now()
);
create index dq_correction_anomaly on dq_correction (anomaly_id);

alter table dq_anomaly enable row level security;
create policy dq_anomaly_scope on dq_anomaly using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
alter table dq_correction enable row level security;
create policy dq_correction_scope on dq_correction using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
