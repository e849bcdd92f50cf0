-- The patient on each fee line (收费明细 carries it in HIS exports). Per-patient windows (同一患者同一天/同月…)
-- group fee lines by patient; with the patient on the line they need no join to every encounter
-- (issue 5: 19 of 50 bench rules). Triggers keep it equal to hm_encounter.person_id on every write path,
-- so the rule catalog may declare it `sameAs: 'encounter.person_id'`.
alter table hm_fee_line add column person_id bigint;
update hm_fee_line f set person_id = e.person_id
  from hm_encounter e where e.id = f.encounter_id and e.person_id is not null;

create function hm_fee_line_fill_person() returns trigger language plpgsql as $$
begin
  select e.person_id into new.person_id from hm_encounter e where e.id = new.encounter_id;
  return new;
end $$;
create trigger hm_fee_line_person before insert or update on hm_fee_line
  for each row execute function hm_fee_line_fill_person();

create function hm_encounter_sync_person() returns trigger language plpgsql as $$
begin
  update hm_fee_line set person_id = new.person_id where encounter_id = new.id;
  return null;
end $$;
create trigger hm_encounter_person after update of person_id on hm_encounter
  for each row when (new.person_id is distinct from old.person_id) execute function hm_encounter_sync_person();
