-- Residents per district, kept exact by statement-level triggers (cheap for COPY of a million rows and
-- untouched by updates that keep the district), so the district overview never scans the person table.
create table person_district_count (
  district_code text primary key,
  residents bigint not null default 0
);
insert into person_district_count (district_code, residents)
  select residence_district, count(*) from person group by residence_district;

create function person_count_apply(d text, n bigint) returns void language sql security definer set search_path = public as $$
  insert into person_district_count (district_code, residents) values (d, n)
  on conflict (district_code) do update set residents = person_district_count.residents + excluded.residents;
$$;

create function person_count_ins() returns trigger language plpgsql security definer set search_path = public as $$
begin
  perform person_count_apply(residence_district, count(*)) from new_rows group by residence_district;
  return null;
end $$;

create function person_count_del() returns trigger language plpgsql security definer set search_path = public as $$
begin
  perform person_count_apply(residence_district, -count(*)) from old_rows group by residence_district;
  return null;
end $$;

create function person_count_upd() returns trigger language plpgsql security definer set search_path = public as $$
begin
  perform person_count_apply(d, n) from (
    select d, sum(n)::bigint as n from (
      select residence_district as d, -count(*) as n from old_rows group by 1
      union all
      select residence_district, count(*) from new_rows group by 1
    ) x group by d having sum(n) <> 0
  ) y;
  return null;
end $$;

create function person_count_truncate() returns trigger language plpgsql security definer set search_path = public as $$
begin
  delete from person_district_count;
  return null;
end $$;

create trigger person_count_ins after insert on person referencing new table as new_rows for each statement execute function person_count_ins();
create trigger person_count_del after delete on person referencing old table as old_rows for each statement execute function person_count_del();
create trigger person_count_upd after update on person referencing old table as old_rows new table as new_rows for each statement execute function person_count_upd();
create trigger person_count_truncate after truncate on person for each statement execute function person_count_truncate();

alter table person_district_count enable row level security;
create policy person_district_count_read on person_district_count for select using (wj_scope_ok(district_code, null, null, null, null));

-- Street-scoped users count and list their own street through an index, not a scan.
create index person_street on person (residence_street);

-- Names compare by code point on every installation (whatever the database locale), so a name prefix
-- is an index range (see repository.searchByName).
alter table person alter column name type text collate "C";
