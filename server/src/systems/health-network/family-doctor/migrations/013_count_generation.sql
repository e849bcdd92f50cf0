-- Header statistics of the 签约管理 list (active contracts by colour under a filter) are the costly part of
-- the list at a million residents. They are cached in the server keyed by this generation: every statement
-- that changes contracts (or key-population tags, key-populations 003) bumps the generation of each district
-- it touched, so a cached figure is used only while nothing it counted has changed. '*' is bumped by a
-- TRUNCATE (no rows to tell the districts). Not personal data; read through fd_count_generation_of only.
create table fd_count_generation (
  district_code text primary key,
  gen bigint not null
);
alter table fd_count_generation enable row level security;

create function fd_bump_count_generation() returns trigger
language plpgsql security definer set search_path = public as $$
begin
  if tg_op = 'TRUNCATE' then
    insert into fd_count_generation (district_code, gen) values ('*', 1)
      on conflict (district_code) do update set gen = fd_count_generation.gen + 1;
    return null;
  end if;
  -- In district order, so two statements touching the same districts lock them in the same order.
  if tg_op in ('INSERT', 'UPDATE') then
    insert into fd_count_generation (district_code, gen)
      select distinct coalesce(district_code, '-'), 1 from new_rows order by 1
      on conflict (district_code) do update set gen = fd_count_generation.gen + 1;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    insert into fd_count_generation (district_code, gen)
      select distinct coalesce(district_code, '-'), 1 from old_rows order by 1
      on conflict (district_code) do update set gen = fd_count_generation.gen + 1;
  end if;
  return null;
end $$;

/** The generation a count over `p_district` (null: every district) depends on. */
create function fd_count_generation_of(p_district text) returns bigint
language sql stable security definer set search_path = public as $$
  select coalesce(sum(gen), 0)::bigint from fd_count_generation
   where p_district is null or district_code in (p_district, '*')
$$;

create trigger fd_contract_count_gen_ins after insert on fd_contract referencing new table as new_rows
  for each statement execute function fd_bump_count_generation();
create trigger fd_contract_count_gen_upd after update on fd_contract referencing old table as old_rows new table as new_rows
  for each statement execute function fd_bump_count_generation();
create trigger fd_contract_count_gen_del after delete on fd_contract referencing old table as old_rows
  for each statement execute function fd_bump_count_generation();
create trigger fd_contract_count_gen_trunc after truncate on fd_contract
  for each statement execute function fd_bump_count_generation();
