-- 签约管理 header counts by key-population tag without counting contracts: active contracts per district ×
-- tag × cycle end, kept by statement triggers on fd_contract and kp_tag with the pairing the list's tag filter
-- uses (the tag's district is the contract's). A district's count for a tag is then a sum over its cycle-end
-- dates (about a thousand rows) whatever the district's size. Read under row-level security by district;
-- written only by the triggers (security definer).
create table kp_contract_tag_count (
  district_code text not null,
  tag text not null,
  cycle_end date not null,
  n integer not null,
  primary key (district_code, tag, cycle_end)
);
alter table kp_contract_tag_count enable row level security;
create policy kp_contract_tag_count_read on kp_contract_tag_count for select
  using (wj_scope_ok(district_code, null, null, null, null));

insert into kp_contract_tag_count (district_code, tag, cycle_end, n)
  select c.district_code, t.tag, c.cycle_end, count(*)::int
    from fd_contract c join kp_tag t on t.person_id = c.person_id and t.district_code = c.district_code
   where c.status = 'active'
   group by 1, 2, 3;

-- Old rows leave their counts, new rows enter theirs; each side joined to the other table as it is now.
-- Keys in order, so two statements touching the same counts lock them in the same order.
create function kp_tag_count_on_contract() returns trigger
language plpgsql security definer set search_path = public as $$
begin
  if tg_op = 'TRUNCATE' then
    delete from kp_contract_tag_count;
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    insert into kp_contract_tag_count as k (district_code, tag, cycle_end, n)
      select c.district_code, t.tag, c.cycle_end, -count(*)::int
        from old_rows c join kp_tag t on t.person_id = c.person_id and t.district_code = c.district_code
       where c.status = 'active'
       group by 1, 2, 3 order by 1, 2, 3
      on conflict (district_code, tag, cycle_end) do update set n = k.n + excluded.n;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into kp_contract_tag_count as k (district_code, tag, cycle_end, n)
      select c.district_code, t.tag, c.cycle_end, count(*)::int
        from new_rows c join kp_tag t on t.person_id = c.person_id and t.district_code = c.district_code
       where c.status = 'active'
       group by 1, 2, 3 order by 1, 2, 3
      on conflict (district_code, tag, cycle_end) do update set n = k.n + excluded.n;
  end if;
  return null;
end $$;

create function kp_tag_count_on_tag() returns trigger
language plpgsql security definer set search_path = public as $$
begin
  if tg_op = 'TRUNCATE' then
    delete from kp_contract_tag_count;
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    insert into kp_contract_tag_count as k (district_code, tag, cycle_end, n)
      select c.district_code, t.tag, c.cycle_end, -count(*)::int
        from old_rows t join fd_contract c on c.person_id = t.person_id and c.district_code = t.district_code and c.status = 'active'
       group by 1, 2, 3 order by 1, 2, 3
      on conflict (district_code, tag, cycle_end) do update set n = k.n + excluded.n;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into kp_contract_tag_count as k (district_code, tag, cycle_end, n)
      select c.district_code, t.tag, c.cycle_end, count(*)::int
        from new_rows t join fd_contract c on c.person_id = t.person_id and c.district_code = t.district_code and c.status = 'active'
       group by 1, 2, 3 order by 1, 2, 3
      on conflict (district_code, tag, cycle_end) do update set n = k.n + excluded.n;
  end if;
  return null;
end $$;

create trigger kp_tag_count_contract_ins after insert on fd_contract referencing new table as new_rows
  for each statement execute function kp_tag_count_on_contract();
create trigger kp_tag_count_contract_upd after update on fd_contract referencing old table as old_rows new table as new_rows
  for each statement execute function kp_tag_count_on_contract();
create trigger kp_tag_count_contract_del after delete on fd_contract referencing old table as old_rows
  for each statement execute function kp_tag_count_on_contract();
create trigger kp_tag_count_contract_trunc after truncate on fd_contract
  for each statement execute function kp_tag_count_on_contract();
create trigger kp_tag_count_tag_ins after insert on kp_tag referencing new table as new_rows
  for each statement execute function kp_tag_count_on_tag();
create trigger kp_tag_count_tag_upd after update on kp_tag referencing old table as old_rows new table as new_rows
  for each statement execute function kp_tag_count_on_tag();
create trigger kp_tag_count_tag_del after delete on kp_tag referencing old table as old_rows
  for each statement execute function kp_tag_count_on_tag();
create trigger kp_tag_count_tag_trunc after truncate on kp_tag
  for each statement execute function kp_tag_count_on_tag();
