-- The child's ID number arrives from the 公安 registry and is kept only as a blind index (no sealed source),
-- so a blind-index key rotation cannot recompute it: each row records the blind-index key it was made under
-- (KeyRing.blindIndexKeyId) and keeps it; a lookup by ID number compares under every key of the ring.
-- Rows written before this migration were made under the only key there was, which the ring calls b1.
alter table fp_hv_registration add column child_id_bi_key text;
update fp_hv_registration set child_id_bi_key = 'b1' where child_id_bi is not null;
alter table fp_hv_registration add constraint fp_hv_registration_child_id_bi_key
  check ((child_id_bi is null) = (child_id_bi_key is null) and (child_id_bi_key is null or child_id_bi_key ~ '^b[1-9][0-9]*$'));
create index fp_hv_registration_child_id on fp_hv_registration (child_id_bi) where child_id_bi is not null;
