-- 总分院合并 (main/branch merge) trail, and the outward data: the mirror store (镜像库) and the
-- scheduled push of contract data sets to the family-doctor QC platform.

-- One merge: the branch's rows moved into the main institution, in one transaction.
create table fd_merge (
  id bigserial primary key,
  branch_id bigint not null,
  main_id bigint not null,
  counts jsonb not null,                   -- rows moved per table.column
  note text,
  merged_by bigint,
  merged_by_name text,
  merged_at timestamptz not null default now(),
  district_code text not null              -- the branch's district
);
create unique index fd_merge_branch on fd_merge (branch_id);
alter table fd_merge enable row level security;
create policy fd_merge_scope on fd_merge
  using (wj_scope_ok(district_code, null, main_id, null, null))
  with check (wj_scope_ok(district_code, null, main_id, null, null));

-- Every value a merge changed (table, row, column, old → new): the full trail, enough to undo by hand.
create table fd_merge_row (
  merge_id bigint not null references fd_merge (id),
  table_name text not null,
  row_id bigint not null,
  column_name text not null,
  old_value bigint not null,
  new_value bigint not null,
  district_code text not null
);
create index fd_merge_row_merge on fd_merge_row (merge_id, table_name);
alter table fd_merge_row enable row level security;
create policy fd_merge_row_scope on fd_merge_row
  using (wj_scope_ok(district_code, null, null, null, null))
  with check (wj_scope_ok(district_code, null, null, null, null));

-- ———————————— 镜像库: a separate schema other consumers read (grant them usage on fd_mirror only) ————————————
-- Written by triggers in the same transaction as the contract write: the mirror can never show a
-- contract state that was rolled back, nor miss one that committed (see docs/api.md, family doctor).
create schema if not exists fd_mirror;
create sequence fd_mirror.change_seq;

create table fd_mirror.contract (
  contract_id bigint primary key,
  person_id bigint not null,
  institution_id bigint not null,
  team_id bigint,
  doctor_id bigint not null,
  district_hospital_id bigint,
  city_hospital_id bigint,
  district_code text not null,
  street_code text,
  signed_on date not null,
  cycle_start date not null,
  cycle_end date not null,
  cycle_years int not null,
  channel text not null,
  status text not null,
  terminated_on date,
  termination_initiator text,
  termination_reason text,
  tags text[] not null,
  previous_id bigint,
  version int not null,
  source_updated_at timestamptz not null,
  mirrored_at timestamptz not null default now(),
  change_seq bigint not null,
  qc_pushed_seq bigint                     -- change_seq last queued for the QC platform
);
create index fd_mirror_contract_qc on fd_mirror.contract (change_seq) where qc_pushed_seq is null or qc_pushed_seq <> change_seq;

create table fd_mirror.contract_event (
  event_id bigint primary key,
  contract_id bigint not null,
  person_id bigint not null,
  kind text not null,
  initiator text not null,
  reason text,
  channel text,
  tags text[] not null,
  on_date date not null,
  operator_name text,
  at timestamptz not null,
  district_code text not null,
  institution_id bigint not null,
  doctor_id bigint not null,
  mirrored_at timestamptz not null default now(),
  qc_pushed boolean not null default false
);
create index fd_mirror_event_qc on fd_mirror.contract_event (event_id) where not qc_pushed;

create function fd_mirror_contract() returns trigger language plpgsql security definer set search_path = public as $$
begin
  insert into fd_mirror.contract (contract_id, person_id, institution_id, team_id, doctor_id, district_hospital_id, city_hospital_id, district_code,
      street_code, signed_on, cycle_start, cycle_end, cycle_years, channel, status, terminated_on, termination_initiator, termination_reason, tags,
      previous_id, version, source_updated_at, mirrored_at, change_seq)
  values (new.id, new.person_id, new.institution_id, new.team_id, new.doctor_id, new.district_hospital_id, new.city_hospital_id, new.district_code,
      new.street_code, new.signed_on, new.cycle_start, new.cycle_end, new.cycle_years, new.channel, new.status, new.terminated_on,
      new.termination_initiator, new.termination_reason, new.tags, new.previous_id, new.version, new.updated_at, now(), nextval('fd_mirror.change_seq'))
  on conflict (contract_id) do update set person_id = excluded.person_id, institution_id = excluded.institution_id, team_id = excluded.team_id,
      doctor_id = excluded.doctor_id, district_hospital_id = excluded.district_hospital_id, city_hospital_id = excluded.city_hospital_id,
      district_code = excluded.district_code, street_code = excluded.street_code, signed_on = excluded.signed_on, cycle_start = excluded.cycle_start,
      cycle_end = excluded.cycle_end, cycle_years = excluded.cycle_years, channel = excluded.channel, status = excluded.status,
      terminated_on = excluded.terminated_on, termination_initiator = excluded.termination_initiator, termination_reason = excluded.termination_reason,
      tags = excluded.tags, previous_id = excluded.previous_id, version = excluded.version, source_updated_at = excluded.source_updated_at,
      mirrored_at = now(), change_seq = excluded.change_seq;
  return null;
end
$$;
create trigger fd_contract_mirror after insert or update on fd_contract for each row execute function fd_mirror_contract();

create function fd_mirror_event() returns trigger language plpgsql security definer set search_path = public as $$
begin
  insert into fd_mirror.contract_event (event_id, contract_id, person_id, kind, initiator, reason, channel, tags, on_date, operator_name, at,
      district_code, institution_id, doctor_id)
  values (new.id, new.contract_id, new.person_id, new.kind, new.initiator, new.reason, new.channel, new.tags, new.on_date, new.operator_name, new.at,
      new.district_code, new.institution_id, new.doctor_id)
  on conflict (event_id) do update set contract_id = excluded.contract_id, institution_id = excluded.institution_id, doctor_id = excluded.doctor_id,
      district_code = excluded.district_code, mirrored_at = now(), qc_pushed = false;
  return null;
end
$$;
create trigger fd_contract_event_mirror after insert or update on fd_contract_event for each row execute function fd_mirror_event();

-- The QC push job takes what changed since it last queued it (per row, not by a watermark, so a
-- transaction committing late is never skipped) and marks it queued in the same transaction as the
-- outbox messages it writes.
create function fd_mirror_qc_pending_contracts(p_limit int) returns setof fd_mirror.contract
language sql stable security definer set search_path = public as $$
  select * from fd_mirror.contract where qc_pushed_seq is null or qc_pushed_seq <> change_seq order by change_seq limit p_limit
$$;
create function fd_mirror_qc_mark_contracts(p_ids bigint[], p_seqs bigint[]) returns int
language sql volatile security definer set search_path = public as $$
  with u as (
    update fd_mirror.contract c set qc_pushed_seq = x.seq from unnest(p_ids, p_seqs) as x(id, seq)
     where c.contract_id = x.id returning 1)
  select count(*)::int from u
$$;
create function fd_mirror_qc_pending_events(p_limit int) returns setof fd_mirror.contract_event
language sql stable security definer set search_path = public as $$
  select * from fd_mirror.contract_event where not qc_pushed order by event_id limit p_limit
$$;
create function fd_mirror_qc_mark_events(p_ids bigint[]) returns int
language sql volatile security definer set search_path = public as $$
  with u as (update fd_mirror.contract_event set qc_pushed = true where event_id = any (p_ids) returning 1) select count(*)::int from u
$$;
-- What the console shows about the mirror (counts only).
create function fd_mirror_stats() returns table (contracts bigint, events bigint, pending_contracts bigint, pending_events bigint, last_mirrored timestamptz)
language sql stable security definer set search_path = public as $$
  select (select count(*) from fd_mirror.contract), (select count(*) from fd_mirror.contract_event),
         (select count(*) from fd_mirror.contract where qc_pushed_seq is null or qc_pushed_seq <> change_seq),
         (select count(*) from fd_mirror.contract_event where not qc_pushed),
         (select max(mirrored_at) from fd_mirror.contract)
$$;

-- One run of the QC push (what was queued), for the console.
create table fd_qc_push (
  id bigserial primary key,
  dataset text not null check (dataset in ('contracts', 'events')),
  rows int not null,
  messages int not null,
  first_message_id bigint,
  at timestamptz not null default now()
);
alter table fd_qc_push enable row level security;
create policy fd_qc_push_city on fd_qc_push
  using (current_setting('weijian.level', true) = 'city') with check (current_setting('weijian.level', true) = 'city');
