-- The demo world: one row describing the generated world, and the ground truth of the anomalies it
-- planted (so detection accuracy can be measured). Platform-internal: no row-level security, and no
-- route exposes these tables to request scopes.
create table world_meta (
  id int primary key default 1 check (id = 1),   -- at most one world per database
  seed bigint not null,
  residents int not null,
  as_of date not null,                           -- the world's "today"
  status text not null check (status in ('generating', 'ready')),
  started_at timestamptz not null default now(),
  generated_at timestamptz,
  seconds double precision,
  digest text                                    -- SM3 over the plaintext content (see platform/world/digest.ts)
);

create table world_truth (
  id bigserial primary key,
  stage text not null,
  kind text not null,                            -- e.g. duplicate_insurance_card
  object_type text not null,                     -- e.g. person
  object_id text not null,
  detail jsonb,
  created_at timestamptz not null default now()
);
create index world_truth_kind on world_truth (kind, object_type);
