-- The card format rules now live with the resident index (its migration 005, insurance_card_rule): the rows
-- configured here move there and this table goes.
insert into insurance_card_rule (insured_place, pattern, title, example, updated_by, updated_by_name, updated_at)
  select insured_place, pattern, title, example, updated_by, updated_by_name, updated_at from fd_card_rule
on conflict (insured_place) do update set pattern = excluded.pattern, title = excluded.title, example = excluded.example,
  updated_by = excluded.updated_by, updated_by_name = excluded.updated_by_name, updated_at = excluded.updated_at;
drop table fd_card_rule;
