-- Birth records (出生记录) and marriages (婚姻登记): what the childcare subsidy and the birth-order (孩次)
-- library need. One child may have several records, one per source (市妇幼 birth register, 公安 报出生户口,
-- 出生"一件事"); disagreements between them are what verification looks for. The scope key is the child's
-- 户籍 district (its residence district when it has no Shanghai 户籍) and street.
create table fp_birth_record (
  id bigserial primary key,
  child_person_id bigint not null,
  mother_person_id bigint not null,
  father_person_id bigint,
  birth_date date not null,
  certificate_no text not null,           -- 出生医学证明编号
  hospital text,
  child_name text not null,               -- the name as this source recorded it
  source text not null check (source in ('mch', 'police', 'one_thing')),  -- 市妇幼 / 公安 / 出生一件事
  claimed_birth_order int check (claimed_birth_order between 1 and 20),   -- 孩次 as the source declared it
  district_code text,
  street_code text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index fp_birth_record_child on fp_birth_record (child_person_id);
create index fp_birth_record_mother on fp_birth_record (mother_person_id);
create index fp_birth_record_father on fp_birth_record (father_person_id) where father_person_id is not null;
create index fp_birth_record_district on fp_birth_record (district_code);

alter table fp_birth_record enable row level security;
create policy fp_birth_record_scope on fp_birth_record
  using (wj_scope_ok(district_code, street_code, null, null, null))
  with check (wj_scope_ok(district_code, street_code, null, null, null));

create table fp_marriage (
  id bigserial primary key,
  husband_person_id bigint not null,
  wife_person_id bigint not null,
  registered_on date not null,
  dissolved_on date,
  district_code text,                      -- where it was registered
  street_code text,
  created_at timestamptz not null default now(),
  check (dissolved_on is null or dissolved_on >= registered_on)
);
create index fp_marriage_husband on fp_marriage (husband_person_id);
create index fp_marriage_wife on fp_marriage (wife_person_id);

alter table fp_marriage enable row level security;
create policy fp_marriage_scope on fp_marriage
  using (wj_scope_ok(district_code, street_code, null, null, null))
  with check (wj_scope_ok(district_code, street_code, null, null, null));

-- The records a birth order needs: those of the given children and of every child sharing a parent with
-- them. Security definer on purpose: a child's order depends on siblings registered in other districts,
-- which the caller may not see. Callers check the child itself is in their scope first and return no
-- sibling identities (only order, dates and which parent is shared).
create function fp_family_records(p_children bigint[])
returns table (id bigint, child_person_id bigint, mother_person_id bigint, father_person_id bigint, birth_date date,
               certificate_no text, child_name text, source text, claimed_birth_order int)
language sql stable security definer set search_path = public as $$
  with parents as (
    select mother_person_id as pid from fp_birth_record where child_person_id = any(p_children)
    union
    select father_person_id from fp_birth_record where child_person_id = any(p_children) and father_person_id is not null
  ), kids as (
    select child_person_id as cid from fp_birth_record where child_person_id = any(p_children)
    union
    select r.child_person_id from fp_birth_record r join parents p on p.pid = r.mother_person_id
    union
    select r.child_person_id from fp_birth_record r join parents p on p.pid = r.father_person_id
  )
  select r.id, r.child_person_id, r.mother_person_id, r.father_person_id, r.birth_date, r.certificate_no, r.child_name, r.source, r.claimed_birth_order
    from fp_birth_record r join kids k on k.cid = r.child_person_id
$$;
