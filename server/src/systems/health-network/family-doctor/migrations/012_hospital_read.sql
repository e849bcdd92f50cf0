-- 医院查看账号 (fd-people): an institution-scoped user of a district or city hospital reads the contracts
-- whose combination names that hospital. SELECT only and permissive: it widens reads, never writes (the
-- fd_contract_scope policy alone still decides every insert, update and delete).
create policy fd_contract_hospital_read on fd_contract for select
  using (current_setting('weijian.level', true) = 'institution'
         and nullif(current_setting('weijian.inst', true), '')::bigint in (district_hospital_id, city_hospital_id));
create index fd_contract_district_hospital on fd_contract (district_hospital_id, cycle_end) where status = 'active';
create index fd_contract_city_hospital on fd_contract (city_hospital_id, cycle_end) where status = 'active';
