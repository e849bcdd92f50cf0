-- Worker identity: every process that executes runs registers itself and beats a heartbeat; a run records
-- the worker executing it. A run whose worker is gone (stopped, heartbeat stale, or the same host's process
-- no longer exists) is marked 'interrupted' at once and claimed again, up to a few interruptions.
create table job_worker (
  id text primary key,
  host text not null,
  pid int not null,
  started_at timestamptz not null default now(),
  heartbeat_at timestamptz not null default now(),
  stopped_at timestamptz
);
create index job_worker_alive on job_worker (heartbeat_at) where stopped_at is null;

alter table job_run add column worker_id text references job_worker(id) on delete set null;
alter table job_run add column interruptions int not null default 0;
alter table job_run drop constraint job_run_status_check;
alter table job_run add constraint job_run_status_check
  check (status in ('queued', 'running', 'succeeded', 'failed', 'retrying', 'cancelled', 'interrupted'));
drop index job_run_queue;
create index job_run_queue on job_run (run_after) where status in ('queued', 'retrying', 'interrupted');
create index job_run_worker on job_run (worker_id) where status = 'running';
