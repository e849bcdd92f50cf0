-- 公安死亡注销户口: the monthly pull also takes the month's death deregistrations and records each death in
-- the resident index (source 公安). One row per 注销编号 received, so a re-sent record is recognised and
-- changes nothing; the identity number is kept only as a mask (the match is person_id: a blind index kept
-- here would have no sealed source to rebuild it from at a key rotation).
create table fp_hv_death (
  id bigserial primary key,
  batch_id bigint not null references fp_hv_batch(id),
  dereg_no text not null unique,               -- ZXBH 户口注销编号
  name text not null,
  id_masked text,
  death_date date,
  police_code text,
  person_id bigint,                            -- the resident the identity number found (null: none)
  outcome text not null check (outcome in ('recorded', 'already_dead', 'not_found', 'name_mismatch', 'invalid')),
  message text not null,
  district_code text,
  street_code text,
  created_at timestamptz not null default now()
);
create index fp_hv_death_batch on fp_hv_death (batch_id);
alter table fp_hv_death enable row level security;
-- Unmatched records (no district) are the city's to look at; the rest follow the resident's residence.
create policy fp_hv_death_scope on fp_hv_death
  using (wj_scope_ok(district_code, street_code, null, null, null))
  with check (current_setting('weijian.level', true) = 'city');

alter table fp_hv_batch add column deaths int not null default 0, add column deaths_recorded int not null default 0;

alter table fp_hv_log drop constraint fp_hv_log_kind_check;
alter table fp_hv_log add constraint fp_hv_log_kind_check check (kind in ('pull', 'distribute', 'match', 'exception', 'mapping', 'death'));
