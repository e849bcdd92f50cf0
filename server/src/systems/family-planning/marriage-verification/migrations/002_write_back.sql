-- 回写婚姻库: the fp_marriage row a verified 民政 registration was written to (or found already there),
-- and whether this case wrote it itself (only then may invalidating the case remove it).
alter table fp_mv_case add column marriage_id bigint;
alter table fp_mv_case add column marriage_own boolean not null default false;
alter table fp_mv_case add column written_back_at timestamptz;
