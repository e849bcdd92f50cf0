-- 出生监测核实: the daily 市妇幼 channel (field mapping, intake batches, rejected rows), the street
-- verification tasks with their full history, and assist requests (协查) between streets.
--
-- Scope: a task belongs to the street of the mother's residence (and its district); the street's
-- community health service centre (institution_id) sees it too, so a 社区管理员 scoped to the centre
-- works the same tasks as one scoped to the street.

-- The 户口 registration date of a 公安 报出生户口 record (null for the other sources).
alter table fp_birth_record add column registered_on date;

-- Source field → our field, maintained by city administrators (the 市妇幼 interface names its columns).
create table fp_mch_field_map (
  target_field text primary key,
  source_field text not null,
  title text not null,
  required boolean not null default false,
  position int not null default 0,
  updated_by text,
  updated_at timestamptz not null default now()
);
alter table fp_mch_field_map enable row level security;
create policy fp_mch_field_map_read on fp_mch_field_map for select using (true);
create policy fp_mch_field_map_write on fp_mch_field_map for all
  using (current_setting('weijian.level', true) = 'city') with check (current_setting('weijian.level', true) = 'city');

-- One pull of one day's records.
create table fp_mch_batch (
  id bigserial primary key,
  source_date date not null,
  status text not null default 'running' check (status in ('running', 'done', 'failed')),
  fetched int not null default 0,
  created int not null default 0,
  updated int not null default 0,
  unchanged int not null default 0,
  rejected int not null default 0,
  error text,
  requested_by text,
  started_at timestamptz not null default now(),
  finished_at timestamptz
);
create index fp_mch_batch_date on fp_mch_batch (source_date);
-- Counts only, no personal data: every user of the module may see them; only the city writes them.
alter table fp_mch_batch enable row level security;
create policy fp_mch_batch_read on fp_mch_batch for select using (true);
create policy fp_mch_batch_write on fp_mch_batch for all
  using (current_setting('weijian.level', true) = 'city') with check (current_setting('weijian.level', true) = 'city');

-- Rows the cleaning refused, with the reasons (identity numbers masked in `raw`).
create table fp_mch_rejected (
  id bigserial primary key,
  batch_id bigint not null references fp_mch_batch(id),
  row_no int not null,
  raw jsonb not null,
  reasons jsonb not null,
  district_code text,
  street_code text,
  created_at timestamptz not null default now()
);
create index fp_mch_rejected_batch on fp_mch_rejected (batch_id);
alter table fp_mch_rejected enable row level security;
create policy fp_mch_rejected_scope on fp_mch_rejected
  using (wj_scope_ok(district_code, street_code, null, null, null))
  with check (wj_scope_ok(district_code, street_code, null, null, null));

create table fp_verify_task (
  id bigserial primary key,
  certificate_no text not null unique,     -- 出生医学证明编号: one task per birth, ever
  batch_id bigint references fp_mch_batch(id),
  source_date date not null,
  status text not null default 'pending' check (status in ('pending', 'assisting', 'approved', 'rejected')),
  version int not null default 1,          -- +1 on every change (社区云 keeps the newest)
  verify_round int not null default 1,     -- +1 on every re-verification
  district_code text not null,
  street_code text not null,
  institution_id bigint,
  child_name text not null,
  child_sex text check (child_sex in ('M', 'F', 'U')),
  birth_date date not null,
  birth_weight int,
  hospital text,
  claimed_birth_order int,
  address text,
  child_person_id bigint,
  mother_name text not null,
  mother_id_enc text not null,
  mother_id_bi text not null,
  mother_id_mask text not null,
  mother_person_id bigint,
  father_name text,
  father_id_enc text,
  father_id_bi text,
  father_id_mask text,
  father_person_id bigint,
  source_digest text not null,             -- SM3 of the cleaned source record: a changed resend reverts the task
  precheck jsonb not null default '[]',
  precheck_at timestamptz,
  decision text check (decision in ('confirmed', 'corrected', 'invalid')),
  result jsonb,
  decision_note text,
  decided_by text,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index fp_verify_task_street on fp_verify_task (street_code, status);
create index fp_verify_task_district on fp_verify_task (district_code, status);
create index fp_verify_task_mother on fp_verify_task (mother_id_bi);
create index fp_verify_task_father on fp_verify_task (father_id_bi) where father_id_bi is not null;
create index fp_verify_task_birth on fp_verify_task (birth_date);
create index fp_verify_task_child on fp_verify_task (child_person_id) where child_person_id is not null;
alter table fp_verify_task enable row level security;
create policy fp_verify_task_scope on fp_verify_task
  using (wj_scope_ok(district_code, street_code, institution_id, null, null))
  with check (wj_scope_ok(district_code, street_code, institution_id, null, null));

-- Everything that happened to a task, in order; never updated or deleted.
create table fp_verify_task_event (
  id bigserial primary key,
  task_id bigint not null references fp_verify_task(id),
  action text not null,
  from_status text,
  to_status text,
  version int not null,
  verify_round int not null,
  actor text not null,
  note text,
  detail jsonb,
  district_code text not null,
  street_code text not null,
  institution_id bigint,
  at timestamptz not null default now()
);
create index fp_verify_task_event_task on fp_verify_task_event (task_id, id);
alter table fp_verify_task_event enable row level security;
create policy fp_verify_task_event_scope on fp_verify_task_event
  using (wj_scope_ok(district_code, street_code, institution_id, null, null))
  with check (wj_scope_ok(district_code, street_code, institution_id, null, null));

-- 协查: one street asks another to check something about a birth (e.g. the family lives there).
-- Both streets see the request; the asked street sees only the snapshot, never the task itself.
create table fp_assist_request (
  id bigserial primary key,
  task_id bigint not null references fp_verify_task(id),
  from_district text not null,
  from_street text not null,
  from_institution_id bigint,
  to_district text not null,
  to_street text not null,
  to_institution_id bigint,
  status text not null default 'requested' check (status in ('requested', 'replied', 'accepted', 'closed')),
  round int not null default 1,
  question text not null,
  snapshot jsonb not null,
  reply_result text check (reply_result in ('confirmed', 'not_found', 'moved', 'other')),
  reply_note text,
  replied_by text,
  replied_at timestamptz,
  handled_note text,
  handled_by text,
  handled_at timestamptz,
  requested_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index fp_assist_request_task on fp_assist_request (task_id);
create index fp_assist_request_to on fp_assist_request (to_street, status);
alter table fp_assist_request enable row level security;
create policy fp_assist_request_scope on fp_assist_request
  using (wj_scope_ok(from_district, from_street, from_institution_id, null, null) or wj_scope_ok(to_district, to_street, to_institution_id, null, null))
  with check (wj_scope_ok(from_district, from_street, from_institution_id, null, null) or wj_scope_ok(to_district, to_street, to_institution_id, null, null));

-- Other tasks of the same birth under another certificate number (a duplicate registration), whatever
-- the caller's scope: security definer on purpose, it returns certificate numbers and streets only.
create function fp_task_duplicates(p_task bigint, p_mother_bi text, p_birth date, p_name text)
returns table (certificate_no text, street_code text)
language sql stable security definer set search_path = public as $$
  select t.certificate_no, t.street_code from fp_verify_task t
   where t.id <> p_task and t.mother_id_bi = p_mother_bi and t.birth_date = p_birth and t.child_name = p_name and t.decision is distinct from 'invalid'
   order by t.certificate_no
$$;

-- Whether two people have a marriage registration with each other (any district): yes/no only.
create function fp_married(p_a bigint, p_b bigint)
returns boolean language sql stable security definer set search_path = public as $$
  select exists (select 1 from fp_marriage m
                  where (m.husband_person_id = p_a and m.wife_person_id = p_b) or (m.husband_person_id = p_b and m.wife_person_id = p_a))
$$;

-- A street's approval of a 市妇幼 birth adds its birth record (source 'mch') when none with that
-- certificate number exists. Security definer on purpose: the record's scope key is the child's 户籍
-- district, which may lie outside the approving street's scope; the caller has already proved it sees
-- the task (row-level security on fp_verify_task) and the function checks that again.
create function fp_record_verified_birth(p_task bigint, p_child bigint, p_district text, p_street text)
returns bigint language plpgsql volatile security definer set search_path = public as $$
declare
  t fp_verify_task;
  rid bigint;
begin
  select * into t from fp_verify_task where id = p_task;
  if t.id is null or t.mother_person_id is null or p_child is null then return null; end if;
  if not wj_scope_ok(t.district_code, t.street_code, t.institution_id, null, null) then return null; end if;
  select id into rid from fp_birth_record where certificate_no = t.certificate_no and source = 'mch' limit 1;
  if rid is not null then return rid; end if;
  insert into fp_birth_record (child_person_id, mother_person_id, father_person_id, birth_date, certificate_no, hospital, child_name, source, claimed_birth_order, district_code, street_code)
  values (p_child, t.mother_person_id, t.father_person_id, t.birth_date, t.certificate_no, t.hospital, t.child_name, 'mch', t.claimed_birth_order, p_district, p_street)
  returning id into rid;
  return rid;
end
$$;
