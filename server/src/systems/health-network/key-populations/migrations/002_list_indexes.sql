-- The tag filter of the 签约管理 list (key-populations tagFilterSql) joins kp_tag on the resident and the
-- district; with the caller's scope columns included, both sides of the join and the colour header counts
-- are index-only scans (row-level security reads only indexed columns). At a million residents this
-- turns a district's header counts from heap scans of every contract into index scans.
create index kp_tag_district on kp_tag (tag, district_code, person_id) include (street_code, institution_id, team_id, doctor_id);
drop index kp_tag_tag;
-- On family-doctor's contracts (an additive index serving the list this module filters; family-doctor's own
-- indexes are untouched): active contracts of a district by cycle end, covering the scope columns.
create index kp_fd_contract_list on fd_contract (district_code, cycle_end) include (person_id, street_code, institution_id, team_id, doctor_id) where status = 'active';
