-- 证件类型 of the parents on a verification task: mothers (and fathers) born elsewhere give birth in
-- Shanghai with 港澳台居民居住证, 港澳居民来往内地通行证, 台湾居民来往大陆通行证, 外国人永久居留身份证 or a
-- passport. The number stays sealed / blind-indexed / masked as before; the type says how to read it.
alter table fp_verify_task add column mother_id_type text not null default 'resident_id'
  check (mother_id_type in ('resident_id', 'hmt_residence', 'hk_macao_pass', 'taiwan_pass', 'foreign_permanent', 'passport'));
alter table fp_verify_task add column father_id_type text
  check (father_id_type in ('resident_id', 'hmt_residence', 'hk_macao_pass', 'taiwan_pass', 'foreign_permanent', 'passport'));
update fp_verify_task set father_id_type = 'resident_id' where father_id_bi is not null;

-- Where a marriage row came from (kept in this migration because it is the one number this change owns):
-- 'family_planning' rows are the system's own 婚育 data; 'civil_affairs' rows were written back by the
-- 民政婚姻核对 module from a verified 民政 registration (source_ref = 登记证字号), so that module can
-- update or withdraw exactly its own rows. dissolved_ref: the 民政 divorce registration that set
-- dissolved_on (withdrawn with it).
alter table fp_marriage add column source text not null default 'family_planning' check (source in ('family_planning', 'civil_affairs'));
alter table fp_marriage add column source_ref text;
alter table fp_marriage add column dissolved_ref text;
create unique index fp_marriage_source_ref on fp_marriage (source_ref) where source = 'civil_affairs';
create index fp_marriage_dissolved_ref on fp_marriage (dissolved_ref) where dissolved_ref is not null;
