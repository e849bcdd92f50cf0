-- Append-only audit log. Each event carries the SM3 hash of its predecessor (hash chain);
-- checkpoints sign a Merkle root of a range of events with SM2.
create table audit_event (
  seq bigint primary key,
  ts timestamptz not null,
  actor_id bigint,
  actor_username text not null,
  actor_role text not null,
  scope text not null,
  district_code text,
  kind text not null check (kind in ('write', 'read', 'auth', 'admin')),
  action text not null,
  object_type text not null,
  object_id text,
  before jsonb,
  after jsonb,
  note text,
  ip text,
  request_id text,
  prev_hash text not null,
  hash text not null
);
create index audit_event_ts on audit_event (ts);
create index audit_event_actor on audit_event (actor_id, ts);
create index audit_event_object on audit_event (object_type, object_id);

create table audit_head (
  id int primary key check (id = 1),
  seq bigint not null,
  hash text not null
);
insert into audit_head values (1, 0, repeat('0', 64));

create table audit_checkpoint (
  id bigserial primary key,
  from_seq bigint not null,
  to_seq bigint not null,
  merkle_root text not null,
  head_hash text not null,
  key_id text not null,
  public_key text not null,
  signature text not null,
  created_at timestamptz not null default now()
);

create function audit_no_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit log is append-only';
end $$;
create trigger audit_event_append_only before update or delete on audit_event
  for each row execute function audit_no_change();
create trigger audit_checkpoint_append_only before update or delete on audit_checkpoint
  for each row execute function audit_no_change();

-- A district official reads the audit events of people acting in their district; city scope reads all.
alter table audit_event enable row level security;
create policy audit_event_read on audit_event for select using (wj_scope_ok(district_code, null, null, null, null));
create policy audit_event_append on audit_event for insert with check (true);
