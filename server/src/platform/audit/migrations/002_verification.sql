-- Results of audit-chain verification runs, for the status screen (newest last).
create table audit_verification (
  id bigserial primary key,
  ts timestamptz not null default now(),
  ok boolean not null,
  checked_events bigint not null,
  checked_checkpoints bigint not null,
  first_broken_seq bigint,
  reason text,
  verified_by text not null
);

-- A verification result is evidence too: keep it append-only like the log itself.
create trigger audit_verification_append_only before update or delete on audit_verification
  for each row execute function audit_no_change();
