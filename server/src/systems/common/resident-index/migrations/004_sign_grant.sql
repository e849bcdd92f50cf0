-- 签约查找 (lookup for signing): a staff user with the sign permission who found a resident by exact ID number
-- and name may act on that resident for a short while (new signing, offline change) although the resident is
-- not yet in the user's scope. One row per user and resident; only the user's own rows are visible.
create table person_sign_grant (
  user_id bigint not null,
  person_id bigint not null references person (id) on delete cascade,
  granted_at timestamptz not null default now(),
  primary key (user_id, person_id)
);
alter table person_sign_grant enable row level security;
create policy person_sign_grant_own on person_sign_grant
  using (user_id = nullif(current_setting('weijian.user', true), '')::bigint)
  with check (user_id = nullif(current_setting('weijian.user', true), '')::bigint);
