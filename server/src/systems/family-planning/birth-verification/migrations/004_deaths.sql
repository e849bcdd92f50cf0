-- 市妇幼 death reports (儿童死亡报告卡 for children under five, 孕产妇死亡报告卡): the daily intake also takes the
-- day's reports and records each death in the resident index (source 市妇幼). One row per 报告卡编号
-- received, so a re-sent report is recognised and changes nothing; the identity number only as a mask (the
-- match is person_id: a blind index here would have no sealed source to rebuild it from at a key rotation).
create table fp_mch_death (
  id bigserial primary key,
  batch_id bigint not null references fp_mch_batch(id),
  report_no text not null unique,              -- BGKBH 报告卡编号
  category text not null check (category in ('child', 'maternal')),
  name text not null,
  id_masked text,
  certificate_no text,                         -- a child's 出生医学证明编号 (matches when there is no identity number)
  death_date date,
  person_id bigint,
  outcome text not null check (outcome in ('recorded', 'already_dead', 'not_found', 'name_mismatch', 'invalid')),
  message text not null,
  district_code text,
  street_code text,
  created_at timestamptz not null default now()
);
create index fp_mch_death_batch on fp_mch_death (batch_id);
alter table fp_mch_death enable row level security;
-- Unmatched reports (no district) are the city's; the rest follow the resident's residence.
create policy fp_mch_death_scope on fp_mch_death
  using (wj_scope_ok(district_code, street_code, null, null, null))
  with check (current_setting('weijian.level', true) = 'city');

alter table fp_mch_batch add column deaths int not null default 0, add column deaths_recorded int not null default 0;
create index fp_birth_record_certificate on fp_birth_record (certificate_no);
