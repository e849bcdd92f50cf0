-- In-app notifications and reminders for staff users (funnel alerts, inpatient reminders, …).
create table notification (
  id bigserial primary key,
  user_id bigint not null references app_user(id) on delete cascade,
  kind text not null,
  title text not null,
  body text,
  link text,
  -- Same (user, kind, key) twice adds nothing: a job that re-runs does not remind twice.
  dedupe_key text,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create unique index notification_dedupe on notification (user_id, kind, dedupe_key) where dedupe_key is not null;
create index notification_user_recent on notification (user_id, created_at desc);

-- A user sees and marks only their own notifications; they are created through the functions below.
alter table notification enable row level security;
create policy notification_own_read on notification for select
  using (user_id = nullif(current_setting('weijian.user', true), '')::bigint);
create policy notification_own_update on notification for update
  using (user_id = nullif(current_setting('weijian.user', true), '')::bigint);

-- Security definer: the sender (a doctor's request, a job) may not see the recipients' accounts under
-- its own scope, yet must reach them. It only inserts notifications, never reveals the users.
create function wj_notify_users(p_ids bigint[], p_kind text, p_title text, p_body text, p_link text, p_key text)
returns int language sql security definer set search_path = public as $$
  with ins as (
    insert into notification (user_id, kind, title, body, link, dedupe_key)
    select u.id, p_kind, p_title, p_body, p_link, p_key from app_user u
    where u.id = any(p_ids) and not u.disabled
    on conflict (user_id, kind, dedupe_key) where dedupe_key is not null do nothing
    returning 1)
  select count(*)::int from ins
$$;

-- Users of the given roles whose data scope covers the target (city covers all; a district, street,
-- institution, team or own-patients scope only its own).
create function wj_notify_roles(p_roles text[], p_district text, p_street text, p_inst bigint, p_team bigint, p_doctor bigint,
  p_kind text, p_title text, p_body text, p_link text, p_key text)
returns int language sql security definer set search_path = public as $$
  with ins as (
    insert into notification (user_id, kind, title, body, link, dedupe_key)
    select u.id, p_kind, p_title, p_body, p_link, p_key from app_user u
    where u.role = any(p_roles) and not u.disabled
      and case u.scope_level
        when 'city' then true
        when 'district' then u.scope_district = p_district
        when 'street' then u.scope_street = p_street
        when 'institution' then u.scope_institution_id = p_inst
        when 'team' then u.scope_team_id = p_team
        when 'own' then u.practitioner_id = p_doctor
        else false end
    on conflict (user_id, kind, dedupe_key) where dedupe_key is not null do nothing
    returning 1)
  select count(*)::int from ins
$$;
