-- Terminology service (医学名词、疾病和手术操作分类代码): code systems, their published versions, concepts
-- kept as revisions valid over a range of versions (a read "as of" version N is one range test), the change
-- timeline, concept maps and change requests. Reference data, no personal data: no row-level scope.

create table term_system (
  id bigserial primary key,
  url text not null unique,                              -- canonical URL (FHIR CodeSystem.url)
  name text not null,                                    -- computer-friendly name
  title text not null,
  publisher text,
  kind text not null default 'other' check (kind in ('diagnosis', 'procedure', 'other')),
  source text not null default 'import' check (source in ('shipped', 'import')),
  created_by text not null,
  created_at timestamptz not null default now()
);

-- A published version: immutable (trigger below) and sealed with the SM3 digest of its whole content.
create table term_version (
  id bigserial primary key,
  system_id bigint not null references term_system(id),
  seq int not null,                                      -- 1, 2, … within the system
  version text not null,                                 -- label (FHIR CodeSystem.version)
  published_at timestamptz not null default now(),
  published_by text not null,
  change_request_id bigint,
  concept_count int not null,
  content_hash text not null,                            -- SM3 hex of the canonical concept listing
  note text,
  unique (system_id, seq),
  unique (system_id, version)
);

-- One revision of a concept, valid from version seq `from_seq` until (excluding) `to_seq` (null: current).
create table term_concept (
  id bigserial primary key,
  system_id bigint not null references term_system(id),
  code text not null,
  display text not null,
  parents text[] not null default '{}',
  status text not null default 'active' check (status in ('active', 'retired')),
  kind text not null default 'code',                     -- chapter / block / category / code
  properties jsonb not null default '{}',
  designations jsonb not null default '[]',              -- [{ use: synonym|english|…, language, value }]
  pinyin text not null default '',
  initials text not null default '',
  from_seq int not null,
  to_seq int,
  check (to_seq is null or to_seq > from_seq)
);
create unique index term_concept_current on term_concept (system_id, code) where to_seq is null;
create index term_concept_code on term_concept (system_id, code, from_seq);
create index term_concept_children on term_concept using gin (parents) where to_seq is null;

-- The timeline: every change to a concept, by whom, in which version.
create table term_change (
  id bigserial primary key,
  system_id bigint not null references term_system(id),
  version_seq int not null,
  code text not null,
  kind text not null check (kind in ('added', 'retired', 'reactivated', 'renamed', 'moved', 'designation', 'property')),
  before jsonb,
  after jsonb,
  author text not null,
  change_request_id bigint,
  at timestamptz not null default now()
);
create index term_change_code on term_change (system_id, code, id);
create index term_change_version on term_change (system_id, version_seq);

create table term_map (
  id bigserial primary key,
  url text not null unique,
  name text not null,
  title text not null,
  publisher text,
  version text not null,
  source_system text not null,                           -- URL of the source code system
  target_system text not null,
  source text not null default 'import' check (source in ('shipped', 'import')),
  created_at timestamptz not null default now()
);

create table term_map_element (
  map_id bigint not null references term_map(id),
  source_code text not null,
  target_code text not null,
  equivalence text not null default 'equivalent',
  primary key (map_id, source_code, target_code)
);
create index term_map_element_target on term_map_element (map_id, target_code);

-- Change requests: draft → submitted → approved | rejected → published (approved only).
create table term_change_request (
  id bigserial primary key,
  system_id bigint not null references term_system(id),
  title text not null,
  version text,                                          -- label the published version gets
  items jsonb not null default '[]',
  status text not null default 'draft' check (status in ('draft', 'submitted', 'approved', 'rejected', 'published')),
  created_by text not null,
  created_at timestamptz not null default now(),
  submitted_by text,
  submitted_at timestamptz,
  reviewed_by text,
  reviewed_at timestamptz,
  review_note text,
  published_by text,
  published_at timestamptz,
  version_id bigint references term_version(id)
);

-- Published content cannot change: versions are never updated or deleted; a concept revision may only be
-- closed (to_seq set once), and never deleted.
create function term_version_immutable() returns trigger language plpgsql as $$
begin
  raise exception '已发布的版本不可修改（%）', tg_op using errcode = 'P0001';
end $$;
create trigger term_version_immutable before update or delete on term_version
  for each row execute function term_version_immutable();

create function term_concept_immutable() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' or old.to_seq is not null or new.to_seq is null
     or (to_jsonb(new) - 'to_seq') is distinct from (to_jsonb(old) - 'to_seq') then
    raise exception '已发布的概念版本不可修改' using errcode = 'P0001';
  end if;
  return new;
end $$;
create trigger term_concept_immutable before update or delete on term_concept
  for each row execute function term_concept_immutable();
