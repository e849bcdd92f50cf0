-- Where a death came from (市妇幼, 公安, the family doctor's confirmation of a death report, or entered by
-- hand), recorded with the date by resident-index recordDeath; every module reads status/death_date.
alter table person add column death_source text
  check (death_source in ('manual', 'fd_death_check', 'mch', 'police'));
alter table person add constraint person_death_source_dead check (status = 'dead' or death_source is null);
