-- Custom indicators (自定义指标, versioned) and saved analysis views (组合分析视图).
create table ind_indicator (
  id bigserial primary key,
  code text unique,                                      -- built-in indicators: stable code
  title text not null,
  description text,
  current_version int not null default 1,
  builtin boolean not null default false,
  archived boolean not null default false,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table ind_indicator_version (
  indicator_id bigint not null references ind_indicator(id),
  version int not null,
  definition jsonb not null,                             -- { numerator, denominator?, multiplier, unit, precision }
  sentence text not null,
  created_by text not null,
  created_at timestamptz not null default now(),
  primary key (indicator_id, version)
);

-- A saved view belongs to its owner; shared, it is visible to users inside the owner's scope (city: everyone,
-- district: that district's users, institution: that institution's users). The figures are always computed
-- under the viewer's own scope, so sharing a view never shares data.
create table ind_view (
  id bigserial primary key,
  name text not null,
  owner_user_id bigint not null,
  owner_name text not null,
  shared boolean not null default false,
  audience_district text,
  audience_institution bigint,
  config jsonb not null,                                 -- { indicatorIds, dimensions, chartType, from?, to? }
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index ind_view_owner on ind_view (owner_user_id);

alter table ind_view enable row level security;
create policy ind_view_read on ind_view for select using (
  owner_user_id = nullif(current_setting('weijian.user', true), '')::bigint
  or (shared and (
    current_setting('weijian.level', true) = 'city'
    or (audience_district is null and audience_institution is null)
    or (audience_institution is null and audience_district = current_setting('weijian.district', true))
    or audience_institution = nullif(current_setting('weijian.inst', true), '')::bigint)));
create policy ind_view_insert on ind_view for insert with check (owner_user_id = nullif(current_setting('weijian.user', true), '')::bigint);
create policy ind_view_update on ind_view for update using (owner_user_id = nullif(current_setting('weijian.user', true), '')::bigint)
  with check (owner_user_id = nullif(current_setting('weijian.user', true), '')::bigint);
create policy ind_view_delete on ind_view for delete using (owner_user_id = nullif(current_setting('weijian.user', true), '')::bigint);
