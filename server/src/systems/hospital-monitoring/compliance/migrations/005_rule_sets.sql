-- Rule sets (规则集) and their schedules: which rules run together, when (cron, Asia/Shanghai, or on demand
-- only), full or incremental, online (上线: scheduled and runnable) or offline (下线). City-wide
-- configuration like cm_rule, so no scope columns.
create table cm_rule_set (
  id bigserial primary key,
  name text not null unique,
  description text,
  rule_ids bigint[] not null,
  cron text,                                             -- null: on demand only
  strategy text not null default 'incremental' check (strategy in ('full', 'incremental')),
  online boolean not null default false,
  next_run_at timestamptz,                               -- online and scheduled: when the tick starts it next
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_by text not null,
  updated_at timestamptz not null default now(),
  check (cardinality(rule_ids) between 1 and 200)
);
create index cm_rule_set_due on cm_rule_set (next_run_at) where online and cron is not null;

alter table cm_run add column rule_set_id bigint references cm_rule_set(id);
alter table cm_run add column trigger text not null default 'manual' check (trigger in ('manual', 'schedule'));
create index cm_run_rule_set on cm_run (rule_set_id, id);
