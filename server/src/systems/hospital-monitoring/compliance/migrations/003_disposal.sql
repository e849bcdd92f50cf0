-- Disposal orders (处置单): the closed loop over findings. One order targets one institution; a finding is in
-- at most one open (not closed) order. States: draft → dispatched → explained → evaluated → closed.
create table cm_disposal (
  id bigserial primary key,
  institution_id bigint not null references institution(id),
  district_code text not null,
  title text not null,
  due_on date not null,
  status text not null default 'draft' check (status in ('draft', 'dispatched', 'explained', 'evaluated', 'closed')),
  created_by text not null,
  created_at timestamptz not null default now(),
  dispatched_by text,
  dispatched_at timestamptz,
  explanation text,                                       -- 医院说明
  attachments jsonb not null default '[]',                -- [{ name, url? }]
  explained_by text,
  explained_at timestamptz,
  evaluation text,                                        -- 专家评价
  evaluation_result text check (evaluation_result in ('reasonable', 'unreasonable', 'partly_reasonable')),
  evaluated_by text,
  evaluated_at timestamptz,
  close_note text,
  closed_by text,
  closed_at timestamptz,
  updated_at timestamptz not null default now()
);
create index cm_disposal_inst on cm_disposal (institution_id, status);
create index cm_disposal_district on cm_disposal (district_code, status);

create table cm_disposal_finding (
  disposal_id bigint not null references cm_disposal(id),
  finding_id bigint not null references cm_finding(id),
  institution_id bigint not null,
  district_code text not null,
  open boolean not null default true,                    -- false once the order is closed
  primary key (disposal_id, finding_id)
);
create unique index cm_disposal_finding_open on cm_disposal_finding (finding_id) where open;

-- The timeline: one row per transition (the audit log holds before/after too).
create table cm_disposal_event (
  id bigserial primary key,
  disposal_id bigint not null references cm_disposal(id),
  institution_id bigint not null,
  district_code text not null,
  action text not null check (action in ('create', 'dispatch', 'explain', 'evaluate', 'close')),
  from_status text,
  to_status text not null,
  actor text not null,
  actor_name text,
  actor_role text,
  note text,
  at timestamptz not null default now()
);
create index cm_disposal_event_order on cm_disposal_event (disposal_id, id);

alter table cm_disposal enable row level security;
create policy cm_disposal_scope on cm_disposal using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
alter table cm_disposal_finding enable row level security;
create policy cm_disposal_finding_scope on cm_disposal_finding using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
alter table cm_disposal_event enable row level security;
create policy cm_disposal_event_scope on cm_disposal_event using (wj_scope_ok(district_code, null, institution_id, null, null))
  with check (wj_scope_ok(district_code, null, institution_id, null, null));
