-- Attempts per run of each job type (its retries + 1), kept in step with the code on every start,
-- so enqueueJob needs only the caller's transaction.
alter table job_schedule add column max_attempts int not null default 1 check (max_attempts between 1 and 100);
create index job_run_status on job_run (status, id desc);
