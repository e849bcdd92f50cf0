-- The 签约管理 header counts filtered by a tag read kp_tag: a tag change moves the count generation of its
-- district too (family-doctor 013), so a cached count is not used after the tags it counted changed.
create trigger kp_tag_count_gen_ins after insert on kp_tag referencing new table as new_rows
  for each statement execute function fd_bump_count_generation();
create trigger kp_tag_count_gen_upd after update on kp_tag referencing old table as old_rows new table as new_rows
  for each statement execute function fd_bump_count_generation();
create trigger kp_tag_count_gen_del after delete on kp_tag referencing old table as old_rows
  for each statement execute function fd_bump_count_generation();
create trigger kp_tag_count_gen_trunc after truncate on kp_tag
  for each statement execute function fd_bump_count_generation();

-- When the count is computed (a new generation, a filter not seen yet): a district's active contracts in
-- resident order, covering the colour and the scope columns, so the tag filter is a merge of two index-only
-- scans instead of one index lookup per tagged resident.
create index kp_fd_contract_district_person on fd_contract (district_code, person_id)
  include (cycle_end, street_code, institution_id, team_id, doctor_id, district_hospital_id, city_hospital_id) where status = 'active';
