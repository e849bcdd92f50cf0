-- Jobs: schedules (cron, online/offline) and runs (queue + history + logs), one table each.
-- Workers claim queued runs with FOR UPDATE SKIP LOCKED, which works on PGlite and PostgreSQL alike.
create table job_schedule (
  name text primary key,               -- the job type (module-registered)
  title text not null,
  cron text,                           -- 5 fields, Asia/Shanghai; null = on demand only
  enabled boolean not null default false,
  payload jsonb not null default '{}',
  next_run_at timestamptz,
  last_run_at timestamptz,
  updated_by text,
  updated_at timestamptz not null default now()
);

create table job_run (
  id bigserial primary key,
  job text not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'retrying', 'cancelled')),
  trigger text not null default 'manual' check (trigger in ('manual', 'schedule', 'retry', 'system')),
  payload jsonb not null default '{}',
  attempt int not null default 1,
  max_attempts int not null default 1,
  run_after timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  heartbeat_at timestamptz,
  progress_done bigint,
  progress_total bigint,
  result jsonb,
  error text,
  requested_by text,
  created_at timestamptz not null default now()
);
create index job_run_queue on job_run (run_after) where status in ('queued', 'retrying');
create index job_run_job on job_run (job, id desc);

create table job_log (
  id bigserial primary key,
  run_id bigint not null references job_run(id),
  ts timestamptz not null default now(),
  message text not null
);
create index job_log_run on job_log (run_id, id);
