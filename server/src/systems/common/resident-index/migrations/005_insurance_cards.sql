-- 医保卡 rules belong to the resident (参保地 + 卡号 are person columns): the per-参保地 format rules move here
-- from the family-doctor module (its migration 016 copies its rows and drops fd_card_rule), so every write of
-- a card — resident create/update, signing, renewal, change — is checked in one place (insurance-card.ts).
create table insurance_card_rule (
  insured_place text primary key check (insured_place ~ '^[0-9]{6}$'),
  pattern text not null,
  title text not null,
  example text,
  updated_by bigint,
  updated_by_name text,
  updated_at timestamptz not null default now()
);
alter table insurance_card_rule enable row level security;
create policy insurance_card_rule_read on insurance_card_rule for select using (true);
create policy insurance_card_rule_write on insurance_card_rule for all
  using (current_setting('weijian.level', true) = 'city') with check (current_setting('weijian.level', true) = 'city');
insert into insurance_card_rule (insured_place, pattern, title, example, updated_by_name) values
  ('310000', '^S[0-9]{10}$', '上海市医保卡：S + 10 位数字', 'S0123456789', '系统')
on conflict (insured_place) do nothing;

-- Who holds a card number, city-wide whatever the caller's scope, answering only ids and places (参保地 +
-- 卡号 identifies one resident for a non-local card; the caller sees no one's data through it).
create function person_card_holders(p_card text) returns table (person_id bigint, insured_place text)
language sql stable security definer set search_path = public as $$
  select id, insured_place from person where insurance_card_no = p_card
$$;
