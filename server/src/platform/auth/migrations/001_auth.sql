-- Staff accounts, sessions and partner API clients.
create table app_user (
  id bigserial primary key,
  username text not null unique,
  display_name text not null,
  role text not null,
  scope_level text not null check (scope_level in ('city', 'district', 'street', 'institution', 'team', 'own')),
  scope_district text,
  scope_street text,
  scope_institution_id bigint,
  scope_team_id bigint,
  practitioner_id bigint,
  password_hash text not null,
  password_changed_at timestamptz not null default now(),
  must_change_password boolean not null default false,
  totp_secret text,              -- SM4-sealed (key ring token), never plain
  totp_enabled boolean not null default false,
  totp_last_step bigint,         -- last accepted time step: a code is accepted once
  failed_logins int not null default 0,
  locked_until timestamptz,
  disabled boolean not null default false,
  demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- An administrator manages accounts inside their own scope only.
alter table app_user enable row level security;
create policy app_user_scope on app_user
  using (wj_scope_ok(scope_district, scope_street, scope_institution_id, scope_team_id, practitioner_id)
         or id = nullif(current_setting('weijian.user', true), '')::bigint)
  with check (wj_scope_ok(scope_district, scope_street, scope_institution_id, scope_team_id, practitioner_id)
         or id = nullif(current_setting('weijian.user', true), '')::bigint);

create table app_session (
  id text primary key,           -- SM3 of the token; the token itself is only with the client
  user_id bigint not null references app_user(id),
  csrf_token text not null,
  mfa_passed boolean not null default false,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  ip text,
  user_agent text
);
create index app_session_user on app_session (user_id);

create table api_client (
  id bigserial primary key,
  client_id text not null unique,
  name text not null,
  secret text not null,          -- SM4-sealed
  permissions text[] not null default '{}',
  scope_level text not null default 'city',
  scope_district text,
  disabled boolean not null default false,
  created_at timestamptz not null default now()
);

create table api_nonce (
  client_id text not null,
  nonce text not null,
  seen_at timestamptz not null default now(),
  primary key (client_id, nonce)
);
