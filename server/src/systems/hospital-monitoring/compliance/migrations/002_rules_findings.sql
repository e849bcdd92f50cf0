-- Compliance rules (versioned), runs and findings (合规监测规则、运行与结果).
create table cm_rule (
  id bigserial primary key,
  code text unique,                                      -- built-in rules: stable code
  category text not null check (category in ('reasonable_treatment', 'reasonable_fee', 'restricted_tech', 'new_tech', 'surgery_authorization',
    'staff_behavior', 'practitioner_qualification', 'device_qualification', 'device_usage', 'diagnosis_accuracy', 'treatment_rationality')),
  title text not null,
  enabled boolean not null default false,
  current_version int not null default 1,
  builtin boolean not null default false,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table cm_rule_version (
  rule_id bigint not null references cm_rule(id),
  version int not null,
  tree jsonb not null,                                   -- { source, when, select } (platform/rules AST)
  sentence text not null,                                -- describeRule, kept with the version it describes
  created_by text not null,
  created_at timestamptz not null default now(),
  primary key (rule_id, version)
);

create table cm_run (
  id bigserial primary key,
  job_run_id bigint,
  mode text not null check (mode in ('full', 'incremental')),
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  rule_ids bigint[],                                     -- null: every enabled rule
  requested_by text not null,
  hits int not null default 0,
  inserted int not null default 0,
  started_at timestamptz,
  finished_at timestamptz,
  created_at timestamptz not null default now()
);

create table cm_run_rule (
  run_id bigint not null references cm_run(id),
  rule_id bigint not null references cm_rule(id),
  rule_version int not null,
  since timestamptz,                                     -- incremental: rows changed after this instant
  hits int not null default 0,
  inserted int not null default 0,
  ms int not null default 0,
  error text,
  primary key (run_id, rule_id)
);

create table cm_finding (
  id bigserial primary key,
  rule_id bigint not null references cm_rule(id),
  rule_version int not null,
  category text not null,
  source text not null,                                  -- catalog source of the hit row
  object_key text not null,                              -- its primary key
  institution_id bigint not null,
  district_code text not null,
  encounter_id bigint,
  department_id bigint,
  practitioner_id bigint,
  patient_mask text,
  items text,                                            -- item / procedure / diagnosis name(s)
  amount numeric(12, 2),
  found_on date not null,                                -- date of the service that hit
  detail jsonb not null default '{}',
  run_id bigint not null references cm_run(id),
  found_at timestamptz not null default now(),
  unique (rule_id, object_key)
);
create index cm_finding_category on cm_finding (category, found_on);
create index cm_finding_inst on cm_finding (institution_id, found_on);
create index cm_finding_district on cm_finding (district_code, found_on);

alter table cm_finding enable row level security;
create policy cm_finding_scope on cm_finding using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
