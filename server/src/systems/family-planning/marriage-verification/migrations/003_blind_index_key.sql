-- The parties' ID numbers arrive from 民政 and are kept only as blind indexes (no sealed source), so a
-- blind-index key rotation cannot recompute them: each case records the blind-index key its two indexes
-- were made under (KeyRing.blindIndexKeyId) and keeps it; a lookup by ID number compares under every key
-- of the ring. Cases written before this migration were made under the only key there was, which the ring calls b1.
alter table fp_mv_case add column id_bi_key text;
update fp_mv_case set id_bi_key = 'b1' where husband_id_bi is not null or wife_id_bi is not null;
alter table fp_mv_case add constraint fp_mv_case_id_bi_key
  check ((husband_id_bi is null and wife_id_bi is null) = (id_bi_key is null) and (id_bi_key is null or id_bi_key ~ '^b[1-9][0-9]*$'));
create index fp_mv_case_husband_id on fp_mv_case (husband_id_bi) where husband_id_bi is not null;
create index fp_mv_case_wife_id on fp_mv_case (wife_id_bi) where wife_id_bi is not null;
