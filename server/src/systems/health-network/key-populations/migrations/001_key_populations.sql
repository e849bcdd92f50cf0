-- 重点人群标识 (key-population tags). Conditions registered for residents (chronic-disease registrations,
-- disability, pregnancy …) and the tags computed from them by the rules of rules.ts. Both tables copy the
-- resident's scope columns (residence district/street, managing centre, team, doctor) so a tag is visible
-- exactly where the resident is; a trigger on person keeps the copies current when the care assignment or
-- the residence changes (signing or changing doctor reassigns them).

create table kp_condition (
  id bigserial primary key,
  person_id bigint not null,
  kind text not null check (kind in ('pregnancy', 'postpartum', 'disability', 'hypertension', 'diabetes', 'tuberculosis', 'fp_special_family', 'copd', 'colorectal_cancer')),
  registered_on date not null,             -- 登记/确诊/建档日期
  ends_on date,                            -- 结案/终止日期 (pregnancy: expected delivery; postpartum: delivery + 42 days); null = ongoing
  source text not null default 'manual',   -- manual | world | feed name
  note text,
  district_code text not null,
  street_code text,
  institution_id bigint,
  team_id bigint,
  doctor_id bigint,
  created_by text,
  updated_at timestamptz not null default now(),
  check (ends_on is null or ends_on >= registered_on)
);
create index kp_condition_person on kp_condition (person_id, kind);

alter table kp_condition enable row level security;
create policy kp_condition_scope on kp_condition
  using (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id));

create table kp_tag (
  person_id bigint not null,
  tag text not null,
  since date not null,                     -- first day the rule held (this time)
  district_code text not null,
  street_code text,
  institution_id bigint,
  team_id bigint,
  doctor_id bigint,
  primary key (person_id, tag)
);
create index kp_tag_tag on kp_tag (tag, person_id);

alter table kp_tag enable row level security;
create policy kp_tag_scope on kp_tag
  using (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id))
  with check (wj_scope_ok(district_code, street_code, institution_id, team_id, doctor_id));

-- The resident facts the tag rules read (rule catalog source "resident"); security_invoker keeps the
-- person table's row-level security.
create view kp_person with (security_invoker = true) as
  select id, birth_date, sex, status, residence_district, residence_street, managing_institution_id, team_id, doctor_id from person;

-- Follows the resident's scope into the copies. Security definer: the caller (e.g. the new doctor of a
-- change of doctor) cannot see the rows under their old scope, but they are the same resident's rows.
create function kp_follow_person() returns trigger
language plpgsql security definer set search_path = public as $$
begin
  update kp_tag set district_code = new.residence_district, street_code = new.residence_street,
         institution_id = new.managing_institution_id, team_id = new.team_id, doctor_id = new.doctor_id
   where person_id = new.id;
  update kp_condition set district_code = new.residence_district, street_code = new.residence_street,
         institution_id = new.managing_institution_id, team_id = new.team_id, doctor_id = new.doctor_id
   where person_id = new.id;
  return null;
end $$;
create trigger kp_follow_person after update of residence_district, residence_street, managing_institution_id, team_id, doctor_id on person
  for each row when (old.residence_district is distinct from new.residence_district or old.residence_street is distinct from new.residence_street
    or old.managing_institution_id is distinct from new.managing_institution_id or old.team_id is distinct from new.team_id or old.doctor_id is distinct from new.doctor_id)
  execute function kp_follow_person();

-- One row per tag refresh (job or on change), for the 标签规则 screen.
create table kp_refresh (
  id bigserial primary key,
  on_date date not null,
  trigger text not null check (trigger in ('job', 'world')),
  added int not null,
  removed int not null,
  detail jsonb not null default '{}',
  at timestamptz not null default now()
);
alter table kp_refresh enable row level security;
create policy kp_refresh_read on kp_refresh for select using (true);
create policy kp_refresh_write on kp_refresh for insert with check (current_setting('weijian.level', true) = 'city');
