-- Sign-in counters kept in the database (a restart must not reset them), keyed by what the caller typed,
-- so an unknown user name is counted exactly like a real one (no tell-tale difference):
--   address  failures from one client address across all user names (password spraying)
--   account  failures for one user name from all addresses (slow, distributed guessing)
--   pair     failures for one user name from one address: progressive delay, then a lock of that pair only
create table login_throttle (
  kind text not null check (kind in ('address', 'account', 'pair')),
  key text not null,
  failures int not null default 0,
  window_started_at timestamptz not null default now(),
  last_failure_at timestamptz,
  last_success_at timestamptz,     -- pair: this address signed in to this account (exempt from the account throttle)
  locked_until timestamptz,        -- pair: locked after loginMaxFailures failures
  primary key (kind, key)
);
create index login_throttle_touched on login_throttle (greatest(window_started_at, last_failure_at, last_success_at));

-- Wrong TOTP codes per account across sessions (the per-session count alone let a caller with the
-- password open new sessions and keep guessing).
alter table app_user add column totp_failures int not null default 0;
alter table app_user add column totp_last_failure_at timestamptz;

-- Earlier password hashes (argon2id), so a change cannot go back to one of the last N passwords.
create table app_password_history (
  id bigserial primary key,
  user_id bigint not null references app_user(id),
  password_hash text not null,
  changed_at timestamptz not null default now()
);
create index app_password_history_user on app_password_history (user_id, id desc);
