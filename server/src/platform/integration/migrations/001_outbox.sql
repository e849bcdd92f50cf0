-- Outbox: a message to an outside system is a row written in the caller's transaction, so it exists
-- exactly when the business write committed. The dispatcher claims due rows with FOR UPDATE SKIP LOCKED,
-- delivers them over HTTP and records the outcome. Delivery is at least once: receivers deduplicate by
-- the Idempotency-Key header (= idempotency_key), and order per (system, topic) is not guaranteed.
create table outbox_message (
  id bigserial primary key,
  system text not null,                 -- adapter name, e.g. 'national-subsidy'
  topic text not null,                  -- what the message is about, e.g. 'subsidy.application'
  idempotency_key text not null,        -- unique per system; sent as Idempotency-Key
  payload jsonb not null,
  district_code text,                   -- data scope of the message (null: city-level only)
  -- pending: waiting for its first (or a manual) attempt; delivering: claimed, in flight until next_attempt_at
  -- (the lease; an expired lease means the worker died and the row is claimed again);
  -- failed: last attempt failed, retried at next_attempt_at; delivered / dead: final.
  status text not null default 'pending' check (status in ('pending', 'delivering', 'delivered', 'failed', 'dead')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  response jsonb,                       -- { status, body } of the accepting reply
  unique (system, idempotency_key)
);
-- The dispatcher's question, per system: what is due, oldest first.
create index outbox_message_due on outbox_message (system, next_attempt_at, id) where status in ('pending', 'failed', 'delivering');
create index outbox_message_system_status on outbox_message (system, status);
create index outbox_message_status on outbox_message (status, id desc);

-- Every delivery attempt, for the dead-letter view and for tracing a message's history.
create table outbox_attempt (
  id bigserial primary key,
  message_id bigint not null references outbox_message(id),
  attempt int not null,
  started_at timestamptz not null,
  duration_ms int not null,
  outcome text not null check (outcome in ('delivered', 'retry', 'dead')),
  http_status int,
  error text
);
create index outbox_attempt_message on outbox_attempt (message_id, id);

-- Per-system circuit breaker, shared by every dispatcher process: after N consecutive transient failures
-- the system is paused until open_until, then one probe message decides (half-open).
create table integration_circuit (
  system text primary key,
  consecutive_failures int not null default 0,
  open_until timestamptz,
  opened_at timestamptz,
  last_error text,
  updated_at timestamptz not null default now()
);

-- Scope: a district user sees the messages of the district; messages without a district only at city level.
-- Inserting is open to every scope (a district user's business write may queue a city-level message).
alter table outbox_message enable row level security;
create policy outbox_message_read on outbox_message for select using (wj_scope_ok(district_code, null, null, null, null));
create policy outbox_message_update on outbox_message for update using (wj_scope_ok(district_code, null, null, null, null));
create policy outbox_message_insert on outbox_message for insert with check (true);
alter table outbox_attempt enable row level security;
create policy outbox_attempt_read on outbox_attempt for select using (exists (select 1 from outbox_message m where m.id = message_id));

-- Enqueue in one statement, for every caller scope: INSERT … RETURNING would need the new row to be
-- readable in the caller's scope (a street user queuing a district message could not), and a duplicate
-- key must return the existing id. Security definer runs it as the owner; it only ever inserts.
create function wj_outbox_enqueue(p_system text, p_topic text, p_key text, p_payload jsonb, p_district text)
returns table (id bigint, created boolean) language plpgsql security definer set search_path = public as $$
declare
  v_id bigint;
begin
  insert into outbox_message (system, topic, idempotency_key, payload, district_code)
  values (p_system, p_topic, p_key, p_payload, p_district)
  on conflict (system, idempotency_key) do nothing
  returning outbox_message.id into v_id;
  if v_id is not null then
    return query select v_id, true;
    return;
  end if;
  select m.id into v_id from outbox_message m where m.system = p_system and m.idempotency_key = p_key;
  return query select v_id, false;
end $$;
