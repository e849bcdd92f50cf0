-- A hospital view account (012) also reads the residents of those contracts — name, masked ID, age — so its
-- 签约管理 list shows whom to give the "three priorities" service. SELECT only, and only residents with an
-- active contract whose combination names that hospital (the contract read runs under 012 itself).
create policy person_fd_hospital_read on person for select
  using (current_setting('weijian.level', true) = 'institution'
         and exists (select 1 from fd_contract c
                      where c.person_id = person.id and c.status = 'active'
                        and nullif(current_setting('weijian.inst', true), '')::bigint in (c.district_hospital_id, c.city_hospital_id)));
